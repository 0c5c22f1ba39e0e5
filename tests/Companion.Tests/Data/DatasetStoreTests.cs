using System.Diagnostics;
using Companion.Data;
using Xunit.Abstractions;

namespace Companion.Tests.Data;

/// <summary>
/// The download path against a loopback HTTP server serving generated files in the upstream formats: first fetch,
/// cache hit with the server gone, checksum mismatch, a cut transfer resumed, errors on the primary falling back to the
/// mirror, two concurrent requests downloading once, offline mode and an unreachable network.
/// </summary>
public sealed class DatasetStoreTests : IDisposable
{
    readonly ITestOutputHelper output;
    readonly string cache = Directory.CreateTempSubdirectory("companion-datasets-").FullName;
    readonly LoopbackHttpServer primary = new();
    readonly LoopbackHttpServer mirror = new();
    readonly Dictionary<string, byte[]> idx = GeneratedDatasets.IdxFiles(seed: 1);

    public DatasetStoreTests(ITestOutputHelper output)
    {
        this.output = output;
        foreach (var (name, bytes) in idx) primary.Files[name] = mirror.Files[name] = bytes;
    }

    public void Dispose()
    {
        primary.Dispose();
        mirror.Dispose();
        Directory.Delete(cache, recursive: true);
    }

    DatasetStore Store(params DatasetDefinition[] registry) => Store(false, registry);

    DatasetStore Store(bool offline, params DatasetDefinition[] registry) => new(new DatasetStoreOptions
    {
        Locations = new DatasetCache(null, cache, offline, UseSystemFolders: false),
        Registry = registry,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ReadTimeout = TimeSpan.FromSeconds(5),
    });

    DatasetDefinition Idx => GeneratedDatasets.Idx("mnist", [primary.BaseUrl, mirror.BaseUrl], idx);

    [Fact]
    public async Task First_fetch_downloads_verifies_and_returns_the_cache_folder()
    {
        using var store = Store(Idx);
        var seen = new List<DatasetProgress>();
        var clock = Stopwatch.StartNew();
        var folder = await store.RequireAsync("mnist", "t10k", seen.Add);
        output.WriteLine($"first fetch of 2 files ({idx["t10k-images-idx3-ubyte.gz"].Length + idx["t10k-labels-idx1-ubyte.gz"].Length} bytes): {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(Path.Combine(cache, "mnist"), folder);
        var set = Mnist.Load(folder, "t10k");
        Assert.Equal(GeneratedDatasets.Images, set.Count);
        Assert.Equal(1, primary.CountOf("t10k-images-idx3-ubyte.gz"));
        Assert.Equal(0, primary.CountOf("train-images-idx3-ubyte.gz"));   // a subset fetches only its files
        Assert.Contains(seen, p => p.Stage == DatasetStage.Downloading && p.Total == idx["t10k-images-idx3-ubyte.gz"].Length
            && p.Bytes == p.Total && p.BytesPerSecond > 0);
        Assert.Equal(DatasetStage.Ready, seen[^1].Stage);
        Assert.Empty(Directory.GetFiles(Path.Combine(folder, ".partial"), "*.part"));
    }

    [Fact]
    public async Task Cache_hit_needs_no_server()
    {
        using (var store = Store(Idx)) await store.RequireAsync("mnist");
        int before = primary.Requests.Count;
        primary.Dispose();
        mirror.Dispose();
        using var again = Store(Idx);
        var clock = Stopwatch.StartNew();
        var folder = await again.RequireAsync("mnist");
        output.WriteLine($"cache hit (4 files verified): {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(before, primary.Requests.Count);
        Assert.True(Mnist.Has(folder, "train") && Mnist.Has(folder, "t10k"));
    }

    [Fact]
    public async Task Checksum_mismatch_is_an_error_and_leaves_nothing_in_the_cache()
    {
        var bad = (byte[])idx["t10k-labels-idx1-ubyte.gz"].Clone();
        bad[^5] ^= 0xFF;
        primary.Files["t10k-labels-idx1-ubyte.gz"] = mirror.Files["t10k-labels-idx1-ubyte.gz"] = bad;
        using var store = Store(Idx);
        var e = await Assert.ThrowsAsync<DatasetUnavailableException>(() => store.RequireAsync("mnist", "t10k"));
        output.WriteLine(e.Message);
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains(primary.BaseUrl + "t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains(mirror.BaseUrl + "t10k-labels-idx1-ubyte.gz", e.Message);
        var folder = Path.Combine(cache, "mnist");
        Assert.False(File.Exists(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz")));
        Assert.Empty(Directory.GetFiles(Path.Combine(folder, ".partial"), "*.part"));
    }

    [Fact]
    public async Task A_transfer_cut_half_way_is_resumed_with_a_range_request()
    {
        const string file = "t10k-images-idx3-ubyte.gz";
        long size = idx[file].Length;
        primary.CutNext[file] = 1;
        using var store = Store(Idx);
        var folder = await store.RequireAsync("mnist", "t10k");
        Assert.True(Mnist.Has(folder, "t10k"));
        var requests = primary.Requests.Where(r => r.Path == file).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].RangeFrom);
        Assert.Equal(size - size / 2, size - requests[1].RangeFrom!.Value, 0, 0);   // resumed where the first stopped
        Assert.Equal(size / 2, requests[1].RangeFrom!.Value);
    }

    [Fact]
    public async Task A_part_left_by_an_earlier_run_is_resumed_by_the_next()
    {
        const string file = "t10k-images-idx3-ubyte.gz";
        long size = idx[file].Length;
        primary.CutNext[file] = 1;
        mirror.Status[file] = 503;
        var once = new DatasetStore(new DatasetStoreOptions
        {
            Locations = new DatasetCache(null, cache, false, false), Registry = [Idx], AttemptsPerUrl = 1,
        });
        await Assert.ThrowsAsync<DatasetUnavailableException>(() => once.RequireAsync("mnist", "t10k"));
        once.Dispose();
        var part = Path.Combine(cache, "mnist", ".partial", file + ".part");
        Assert.Equal(size / 2, new FileInfo(part).Length);   // kept for resuming
        using var store = Store(Idx);
        await store.RequireAsync("mnist", "t10k");
        Assert.Equal(size / 2, primary.Requests.Last(r => r.Path == file).RangeFrom);
        Assert.False(File.Exists(part));
    }

    [Fact]
    public async Task Errors_on_the_primary_fall_back_to_the_mirror()
    {
        primary.Status["t10k-images-idx3-ubyte.gz"] = 404;
        primary.Status["t10k-labels-idx1-ubyte.gz"] = 500;
        using var store = Store(Idx);
        var folder = await store.RequireAsync("mnist", "t10k");
        Assert.True(Mnist.Has(folder, "t10k"));
        Assert.Equal(1, primary.CountOf("t10k-images-idx3-ubyte.gz"));
        Assert.Equal(1, mirror.CountOf("t10k-images-idx3-ubyte.gz"));
        Assert.Equal(1, mirror.CountOf("t10k-labels-idx1-ubyte.gz"));
    }

    [Fact]
    public async Task Two_concurrent_requests_download_each_file_once()
    {
        primary.ChunkDelay = TimeSpan.FromMilliseconds(300);   // each transfer holds its lock long enough that the two overlap
        using var a = Store(Idx);
        using var b = Store(Idx);
        var seen = new List<DatasetProgress>();
        var clock = Stopwatch.StartNew();
        var folders = await Task.WhenAll(a.RequireAsync("mnist", "t10k", p => { lock (seen) seen.Add(p); }),
            b.RequireAsync("mnist", "t10k", p => { lock (seen) seen.Add(p); }));
        output.WriteLine($"two concurrent requests: {clock.Elapsed.TotalMilliseconds:0} ms, {primary.Requests.Count} HTTP requests");
        Assert.Equal(folders[0], folders[1]);
        Assert.Equal(1, primary.CountOf("t10k-images-idx3-ubyte.gz"));
        Assert.Equal(1, primary.CountOf("t10k-labels-idx1-ubyte.gz"));
        Assert.True(Mnist.Has(folders[0], "t10k"));
        Assert.Contains(seen, p => p.Stage == DatasetStage.Waiting);   // one of them waited for the other's lock
    }

    [Fact]
    public async Task Offline_mode_forbids_downloads_and_says_what_to_do()
    {
        using var store = Store(offline: true, Idx);
        var e = await Assert.ThrowsAsync<DatasetUnavailableException>(() => store.RequireAsync("mnist", "t10k"));
        output.WriteLine(e.Message);
        Assert.Empty(primary.Requests);
        Assert.Equal("mnist", e.Dataset);
        Assert.Contains("COMPANION_OFFLINE", e.Message);                           // why
        Assert.Contains(primary.BaseUrl + "t10k-images-idx3-ubyte.gz", e.Message); // the URL it would use
        Assert.Contains(Path.Combine(cache, "mnist"), e.Message);                  // the folder to put files in
        Assert.Contains("COMPANION_DATA", e.Message);                              // the variable to set
        Assert.Contains("t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.DoesNotContain("train-images", e.Message);                          // only the subset's files
    }

    [Fact]
    public async Task An_unreachable_network_is_recognised_within_seconds()
    {
        // A name that cannot resolve (RFC 2606 .invalid), a refused port, and a server that accepts but never answers.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var silentUrl = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/";
        var d = GeneratedDatasets.Idx("mnist", ["http://datasets.companion.invalid/", "http://127.0.0.1:1/", silentUrl], idx);
        using var store = new DatasetStore(new DatasetStoreOptions
        {
            Locations = new DatasetCache(null, cache, false, false), Registry = [d],
            ConnectTimeout = TimeSpan.FromSeconds(2), ReadTimeout = TimeSpan.FromSeconds(1),
        });
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<DatasetUnavailableException>(() => store.RequireAsync("mnist"));
        output.WriteLine($"4 files x 3 dead URLs given up in {clock.Elapsed.TotalMilliseconds:0} ms\n{e.Message}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains("not tried", e.Message);   // a host that failed is not tried again for the next file
    }

    [Fact]
    public async Task A_corrupt_file_in_the_cache_is_fetched_again_never_used()
    {
        using (var store = Store(Idx)) await store.RequireAsync("mnist", "t10k");
        var path = Path.Combine(cache, "mnist", "t10k-images-idx3-ubyte.gz");
        File.WriteAllBytes(path, idx["t10k-images-idx3-ubyte.gz"][..100]);   // truncated
        using var again = Store(Idx);
        await again.RequireAsync("mnist", "t10k");
        Assert.Equal(idx["t10k-images-idx3-ubyte.gz"], File.ReadAllBytes(path));
        Assert.Equal(2, primary.CountOf("t10k-images-idx3-ubyte.gz"));
    }

    [Fact]
    public async Task The_names_archive_is_extracted_and_each_file_verified()
    {
        var files = GeneratedDatasets.NameFiles();
        primary.Files["data.zip"] = GeneratedDatasets.NamesZip(files);
        using var store = Store(GeneratedDatasets.Names([primary.BaseUrl], files));
        var folder = await store.RequireAsync("names");
        var data = NamesDataset.Read(folder);
        Assert.Equal(["Czech", "English", "Italian"], data.Languages);
        Assert.Contains(data.Examples, x => x.Name == "Dvořák");
        Assert.False(File.Exists(Path.Combine(folder, "eng-fra.txt")));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(folder, ".partial")), f => !f.EndsWith(".lock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_names_archive_whose_files_do_not_verify_is_rejected()
    {
        var files = GeneratedDatasets.NameFiles();
        var served = new Dictionary<string, byte[]>(files) { ["Italian.txt"] = "Rossi\nBianchi\n"u8.ToArray() };
        primary.Files["data.zip"] = GeneratedDatasets.NamesZip(served);
        using var store = Store(GeneratedDatasets.Names([primary.BaseUrl], files));
        var e = await Assert.ThrowsAsync<DatasetUnavailableException>(() => store.RequireAsync("names"));
        Assert.Contains("Italian.txt", e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(cache, "names"), "*.txt"));
    }

    [Fact]
    public async Task Cifar_tar_gz_is_extracted_read_and_rechecked_by_its_manifest()
    {
        var batches = GeneratedDatasets.CifarBatches(records: 3);
        var archive = GeneratedDatasets.CifarTarGz(batches);
        primary.Files["cifar-10-binary.tar.gz"] = archive;
        using var store = Store(GeneratedDatasets.Cifar([primary.BaseUrl], batches, archive));
        var folder = await store.RequireAsync("cifar-10", "test");
        var test = Cifar10.Load(folder, "test");
        Assert.Equal([5, 6, 7], test.Labels);   // batch 5 (the sixth file), labels (5 + i) % 10
        Assert.Equal(15, Cifar10.Load(folder, "train").Count);
        Assert.True(File.Exists(Path.Combine(folder, DatasetStore.ManifestName)));
        // Same size, one byte changed: only the manifest can tell; the store fetches the archive again.
        var batch = Path.Combine(folder, "test_batch.bin");
        var bytes = File.ReadAllBytes(batch);
        bytes[10] ^= 1;
        File.WriteAllBytes(batch, bytes);
        using var again = Store(GeneratedDatasets.Cifar([primary.BaseUrl], batches, archive));
        await again.RequireAsync("cifar-10", "test");
        Assert.Equal(batches["test_batch.bin"], File.ReadAllBytes(batch));
        Assert.Equal(2, primary.CountOf("cifar-10-binary.tar.gz"));
    }

    [Fact]
    public void A_mirror_folder_seeds_the_cache_and_a_bad_file_is_not_copied()
    {
        var mirrorDir = Directory.CreateTempSubdirectory("companion-mirror-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(mirrorDir, "names"));
            Directory.CreateDirectory(Path.Combine(mirrorDir, "mnist"));
            var names = GeneratedDatasets.NameFiles();
            foreach (var (n, b) in names) File.WriteAllBytes(Path.Combine(mirrorDir, "names", n), b);
            File.WriteAllBytes(Path.Combine(mirrorDir, "mnist", "t10k-images-idx3-ubyte.gz"), idx["t10k-images-idx3-ubyte.gz"]);
            File.WriteAllBytes(Path.Combine(mirrorDir, "mnist", "t10k-labels-idx1-ubyte.gz"), idx["t10k-labels-idx1-ubyte.gz"]);
            File.WriteAllBytes(Path.Combine(mirrorDir, "mnist", "train-labels-idx1-ubyte.gz"), idx["t10k-labels-idx1-ubyte.gz"]); // wrong content
            var namesDef = GeneratedDatasets.Names([primary.BaseUrl], names);
            using var store = Store(namesDef, Idx);
            var r1 = DatasetMirror.Seed(store, namesDef, mirrorDir);
            Assert.Equal(3, r1.Copied.Count);
            var r2 = DatasetMirror.Seed(store, Idx, mirrorDir);
            Assert.Equal(["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"], r2.Copied.Order());
            Assert.Equal(["train-images-idx3-ubyte.gz"], r2.Missing);
            Assert.Contains("train-labels-idx1-ubyte.gz", Assert.Single(r2.Failed));
            Assert.False(File.Exists(Path.Combine(cache, "mnist", "train-labels-idx1-ubyte.gz")));
            Assert.Equal(Path.Combine(cache, "mnist"), store.Require("mnist", "t10k"));   // the seeded subset is usable
            Assert.Empty(primary.Requests);
        }
        finally
        {
            Directory.Delete(mirrorDir, recursive: true);
        }
    }

    [Fact]
    public async Task Data_root_is_looked_in_first_and_a_bad_copy_there_is_not_used()
    {
        var root = Directory.CreateTempSubdirectory("companion-data-").FullName;
        try
        {
            var own = Directory.CreateDirectory(Path.Combine(root, "mnist")).FullName;
            foreach (var (n, b) in idx) File.WriteAllBytes(Path.Combine(own, n), b);
            DatasetStore At(string r) => new(new DatasetStoreOptions { Locations = new DatasetCache(r, cache, false, false), Registry = [Idx] });
            using (var store = At(root)) Assert.Equal(own, await store.RequireAsync("mnist"));
            Assert.Empty(primary.Requests);
            File.WriteAllBytes(Path.Combine(own, "t10k-labels-idx1-ubyte.gz"), [1, 2, 3]);
            using (var store = At(root)) Assert.Equal(Path.Combine(cache, "mnist"), await store.RequireAsync("mnist", "t10k"));
            Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(own, "t10k-labels-idx1-ubyte.gz")));   // the user's file is never touched
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
