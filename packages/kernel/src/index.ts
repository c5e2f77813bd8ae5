/** Placeholder while the kernel is being built. */
export const KERNEL_PLACEHOLDER = true;
