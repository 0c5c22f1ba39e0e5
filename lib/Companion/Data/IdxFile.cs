using System.IO.Compression;

namespace Companion.Data;

/// <summary>
/// One array read from an IDX file (the format of MNIST and Fashion-MNIST, LeCun et al.,
/// http://yann.lecun.com/exdb/mnist/): element type, dimensions and the values as bytes.
/// </summary>
/// <param name="Path">The file it was read from (for error messages).</param>
/// <param name="Dimensions">Sizes of the dimensions, outermost first (images: count, rows, columns).</param>
/// <param name="Values">All values, row-major, as unsigned bytes (the only element type MNIST uses).</param>
public sealed record IdxArray(string Path, int[] Dimensions, byte[] Values);

/// <summary>
/// Reader of IDX files, plain or gzip-compressed (detected by the gzip magic bytes 1F 8B, not by the name).
/// Header: two zero bytes, a type byte (0x08 = unsigned byte; others are rejected), a byte with the number of
/// dimensions, then each dimension as a big-endian int32. The file must hold exactly ∏ dimensions values after it.
/// Used by EECS 182 HW7 Q3(a) (seed 003, MNIST) and CS189 HW7 Q4 (seed 004, Fashion-MNIST).
/// </summary>
public static class IdxFile
{
    /// <summary>Largest accepted number of values (guards against a corrupt header asking for terabytes).</summary>
    public const long MaxValues = 1L << 31;

    /// <summary>Reads an IDX file of unsigned bytes.</summary>
    /// <param name="path">File path, `.gz` or not.</param>
    /// <param name="expectedRank">If given, the number of dimensions the file must have (3 for images, 1 for labels).</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The header is not IDX, the type is not unsigned byte, the rank is not
    /// the expected one, a dimension is not positive, or the data is shorter or longer than the header says; the
    /// message names the file and the offending field.</exception>
    public static IdxArray Read(string path, int? expectedRank = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file not found: '{path}'", path);
        }
        using var file = File.OpenRead(path);
        int b0 = file.ReadByte(), b1 = file.ReadByte();
        file.Position = 0;
        bool gzip = b0 == 0x1F && b1 == 0x8B;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return Read(stream, path, expectedRank);
        }
        catch (InvalidDataException e) when (gzip && !e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"IDX file '{path}': the gzip stream is corrupt ({e.Message})", e);
        }
    }

    /// <summary>Reads IDX data from a stream (already decompressed); <paramref name="name"/> is used in errors.</summary>
    /// <exception cref="InvalidDataException">As <see cref="Read(string, int?)"/>.</exception>
    public static IdxArray Read(Stream stream, string name, int? expectedRank = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var magic = new byte[4];
        if (ReadFully(stream, magic) < 4)
        {
            throw new InvalidDataException($"IDX file '{name}': shorter than the 4-byte header magic");
        }
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new InvalidDataException(
                $"IDX file '{name}': header must start with two zero bytes but starts with 0x{magic[0]:X2} 0x{magic[1]:X2} (not an IDX file?)");
        }
        if (magic[2] != 0x08)
        {
            throw new InvalidDataException(
                $"IDX file '{name}': element type 0x{magic[2]:X2} is not supported (only 0x08, unsigned byte)");
        }
        int rank = magic[3];
        if (rank < 1)
        {
            throw new InvalidDataException($"IDX file '{name}': number of dimensions is 0");
        }
        if (expectedRank is int r && rank != r)
        {
            throw new InvalidDataException($"IDX file '{name}': has {rank} dimensions but {r} were expected");
        }
        var dims = new int[rank];
        var word = new byte[4];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            if (ReadFully(stream, word) < 4)
            {
                throw new InvalidDataException($"IDX file '{name}': header ends inside dimension {i}");
            }
            int d = (word[0] << 24) | (word[1] << 16) | (word[2] << 8) | word[3];
            if (d <= 0)
            {
                throw new InvalidDataException($"IDX file '{name}': dimension {i} is {d}, must be positive");
            }
            dims[i] = d;
            count *= d;
            if (count > MaxValues)
            {
                throw new InvalidDataException($"IDX file '{name}': header asks for more than {MaxValues} values");
            }
        }
        var values = new byte[count];
        int got = ReadFully(stream, values);
        if (got < count)
        {
            throw new InvalidDataException(
                $"IDX file '{name}': header says {count} values ({string.Join('×', dims)}) but the file has only {got}");
        }
        if (stream.ReadByte() >= 0)
        {
            throw new InvalidDataException(
                $"IDX file '{name}': more data after the {count} values ({string.Join('×', dims)}) the header declares");
        }
        return new IdxArray(name, dims, values);
    }

    private static int ReadFully(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }
}
