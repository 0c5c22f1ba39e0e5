// TorchSharp's default random generator is process-wide: tests that seed it (torch.random.manual_seed) and draw from
// it must not interleave, so the test classes of this assembly run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
