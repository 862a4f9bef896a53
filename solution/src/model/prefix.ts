/**
 * The publisher prefix every schema name of the product is built from, so that a fork with its own
 * publisher changes this one line.
 */
export const PREFIX = "clvr";

/** A schema name of this product: `<prefix>_<suffix>`. */
export const prefixed = (suffix: string): string => `${PREFIX}_${suffix}`;
