return await Companion.Notebooks.WorkerHost.RunAsync(args);
