// Companion: math kernels and chart builders for the deep-learning homework notebooks.
// One file per maths object; kernels are pure static functions; charts live in Charts/.
[assembly: CLSCompliant(false)]
