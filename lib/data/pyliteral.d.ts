export type PyValue = string | number | boolean | null | PyTuple | PyValue[] | PyDict;
export declare class PyTuple {
    readonly items: PyValue[];
    constructor(items: PyValue[]);
}
export type PyDict = Map<string | number | boolean | null, PyValue>;
export declare class PySyntaxError extends Error {
}
/** Parses one Python literal; PySyntaxError says what and where on failure. */
export declare function parsePyLiteral(src: string): PyValue;
