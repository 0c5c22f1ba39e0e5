// libtorch's default random generator is global: tests that seed it (torch.random.manual_seed) must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
