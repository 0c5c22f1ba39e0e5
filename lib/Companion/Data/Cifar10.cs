namespace Companion.Data;

/// <summary>
/// Reader of CIFAR-10's official binary version (Krizhevsky 2009, <c>cifar-10-binary.tar.gz</c>, folder
/// <c>cifar-10-batches-bin/</c>): <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c> (10,000 images each) and
/// <c>test_batch.bin</c>; each record is 1 label byte (0–9) followed by 3072 pixel bytes, the red, green and blue
/// 32×32 planes row-major; <c>batches.meta.txt</c> lists the class names, one a line. CS189 HW7 Question 4.
/// </summary>
public static class Cifar10
{
    /// <summary>Bytes per record: 1 label + 3·32·32 pixels.</summary>
    public const int RecordBytes = 1 + ColourImageSet.Dimension;

    /// <summary>The class names in label order, used when <c>batches.meta.txt</c> is absent.</summary>
    public static readonly string[] DefaultClassNames =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The file names of a split: "train" (the five data batches) or "test".</summary>
    public static string[] Files(string split) => split switch
    {
        "train" => Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray(),
        "test" => ["test_batch.bin"],
        _ => throw new ArgumentException($"Cifar10: split must be \"train\" or \"test\", not \"{split}\"", nameof(split)),
    };

    /// <summary>True when <paramref name="folder"/> holds every file of the split.</summary>
    public static bool Has(string? folder, string split = "train") =>
        !string.IsNullOrEmpty(folder) && Files(split).All(f => File.Exists(Path.Combine(folder, f)));

    /// <summary>Loads a split from <paramref name="folder"/> (the <c>cifar-10-batches-bin</c> folder).</summary>
    /// <param name="folder">Folder holding the .bin files.</param>
    /// <param name="split">"train" or "test".</param>
    /// <param name="limit">Read at most this many images (from the first file on).</param>
    /// <exception cref="FileNotFoundException">A file of the split is missing; the message names it and the folder.</exception>
    /// <exception cref="InvalidDataException">A file's length is not a multiple of 3073 bytes, or a label is above 9.</exception>
    public static ColourImageSet Load(string folder, string split = "train", int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var names = ReadClassNames(folder);
        var pixels = new List<float>();
        var labels = new List<int>();
        int max = limit ?? int.MaxValue;
        foreach (var file in Files(split))
        {
            if (labels.Count >= max)
            {
                break;
            }
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Cifar10: {file} not found in {folder} (expected the cifar-10-batches-bin folder of the binary version)", path);
            }
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0 || bytes.Length % RecordBytes != 0)
            {
                throw new InvalidDataException($"Cifar10: {path} has {bytes.Length} bytes, not a positive multiple of {RecordBytes} (1 label + 3072 pixels per image)");
            }
            for (int offset = 0; offset < bytes.Length && labels.Count < max; offset += RecordBytes)
            {
                int label = bytes[offset];
                if (label > 9)
                {
                    throw new InvalidDataException($"Cifar10: {path}, image {offset / RecordBytes}: label byte {label} is not in 0–9");
                }
                labels.Add(label);
                for (int k = 1; k < RecordBytes; k++)
                {
                    pixels.Add(bytes[offset + k] / 255f);
                }
            }
        }
        return new ColourImageSet($"CIFAR-10 {split} ({labels.Count} images)", labels.Count, pixels.ToArray(), labels.ToArray(), names);
    }

    private static string[] ReadClassNames(string folder)
    {
        var meta = Path.Combine(folder, "batches.meta.txt");
        if (!File.Exists(meta))
        {
            return DefaultClassNames;
        }
        var names = File.ReadAllLines(meta).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return names.Length == 10 ? names : DefaultClassNames;
    }
}
