using System.Runtime.CompilerServices;

// Locals are not zeroed on entry: C#'s definite assignment already forbids reading a local before
// it is written, and zeroing every frame's struct locals cost the guest's image about 0.9 KiB of
// prologue code. A stackalloc is the exception: one that is read before it is written must say
// so with an initializer (the foreign maps' errs[] are, for example).
[module: SkipLocalsInit]
