// The shape every language fills, apart from the texts themselves, so that
// the English texts and the parts they gather (`contacts`, `health`…) can
// all name it without importing each other.

/** i18next's plural forms; which ones a language uses is CLDR's choice. */
export type PluralForm = "zero" | "one" | "two" | "few" | "many" | "other";

/**
 * The same keys as `T` (English), each a string, and for every counted
 * text (`x_one`/`x_other`) the other plural forms (`x_few`, `x_many`…) the
 * language needs.
 */
export type TextsLike<T> = {
  [K in keyof T]: T[K] extends string ? string : TextsLike<T[K]>;
} & {
  [K in keyof T as K extends `${infer Base}_other` ? `${Base}_${Exclude<PluralForm, "one" | "other">}` : never]?: string;
};
