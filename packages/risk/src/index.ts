/** Placeholder: this package is being built. */
export const PACKAGE_NAME = "@gpt/risk";
