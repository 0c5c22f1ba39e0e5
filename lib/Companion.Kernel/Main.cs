return await Companion.Kernel.Program.MainAsync(args);
