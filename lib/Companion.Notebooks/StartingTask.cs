namespace Companion.Notebooks;

/// <summary>Things started in the background (a worker process, a workspace) that must be disposed however far
/// their start has got.</summary>
public static class StartingTask
{
    /// <summary>Disposes the task's result now if it is there, else as soon as the task completes (a start that
    /// failed has nothing to dispose).</summary>
    public static void DisposeWhenStarted<T>(this Task<T> starting) where T : IDisposable
    {
        if (starting.IsCompletedSuccessfully) starting.Result.Dispose();
        else starting.ContinueWith(t => t.Result.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);
    }
}
