// MSBuild inline task (RoslynCodeTaskFactory, see TorchSharp.targets). Compiled by MSBuild at build time, not part of any
// assembly of the project.
//
// TorchSharp 0.107.0's libLibTorchSharp.so was linked against GCC 13's libstdc++ and records a need for GLIBCXX_3.4.32
// (a version marker; no function of that version is called). Debian 12's libstdc++ defines versions up to
// GLIBCXX_3.4.30, so the dynamic loader refuses the library. The ELF format lets a version need be WEAK
// (VER_FLG_WEAK in its Vernaux entry): then a missing version is not an error. This task reads the version definitions
// of the system's libstdc++.so.6 and sets VER_FLG_WEAK on exactly those GLIBCXX/CXXABI needs of the given files that
// the system library does not define. Where libstdc++ has them all (newer Linux), nothing is written.
// ELF layout: System V gABI, "Symbol Versioning" (SHT_GNU_verdef 0x6ffffffd, SHT_GNU_verneed 0x6ffffffe).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenMissingGlibcxxNeeds : Task
{
    const uint ShtGnuVerdef = 0x6ffffffd;
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        var libstdcxx = FindSystemLibstdcxx();
        if (libstdcxx is null)
        {
            Log.LogWarning("libstdc++.so.6 not found on this system: libLibTorchSharp.so left as it is");
            return true;
        }
        var defined = new HashSet<string>(Definitions(File.ReadAllBytes(libstdcxx)), StringComparer.Ordinal);
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            var bytes = File.ReadAllBytes(path);
            var weakened = new List<string>();
            foreach (var need in Needs(bytes))
            {
                if (need.File != "libstdc++.so.6" || defined.Contains(need.Version) || (need.Flags & VerFlgWeak) != 0) continue;
                BitConverter.GetBytes((ushort)(need.Flags | VerFlgWeak)).CopyTo(bytes, need.FlagsOffset);
                weakened.Add(need.Version);
            }
            if (weakened.Count == 0) continue;
            File.WriteAllBytes(path, bytes);
            Log.LogMessage(MessageImportance.High,
                $"{path}: {libstdcxx} lacks {string.Join(", ", weakened)}; marked those version needs WEAK");
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>The libstdc++.so.6 the dynamic loader would pick: from ldconfig's cache, else the usual folders.</summary>
    static string? FindSystemLibstdcxx()
    {
        try
        {
            foreach (var ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig" })
            {
                if (ldconfig.StartsWith("/", StringComparison.Ordinal) && !File.Exists(ldconfig)) continue;
                var psi = new System.Diagnostics.ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false };
                using var p = System.Diagnostics.Process.Start(psi);
                if (p is null) continue;
                var text = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64
                    ? "AArch64" : "x86-64";
                var line = text.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && l.Contains(arch));
                var path = line?.Split(new[] { "=> " }, StringSplitOptions.None).LastOrDefault()?.Trim();
                if (path is not null && File.Exists(path)) return path;
                break;
            }
        }
        catch (Exception) { }
        foreach (var dir in new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib" })
        {
            var candidate = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    sealed class Need
    {
        public string File = "";
        public string Version = "";
        public ushort Flags;
        public int FlagsOffset;
    }

    /// <summary>Section headers of a little-endian ELF64 file as (type, offset, link).</summary>
    static List<(uint Type, long Offset, int Link)> Sections(byte[] d)
    {
        var result = new List<(uint, long, int)>();
        if (d.Length < 64 || d[0] != 0x7f || d[1] != (byte)'E' || d[2] != (byte)'L' || d[3] != (byte)'F' || d[4] != 2 || d[5] != 1)
            return result;
        long shoff = BitConverter.ToInt64(d, 0x28);
        int shentsize = BitConverter.ToUInt16(d, 0x3A), shnum = BitConverter.ToUInt16(d, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = (int)(shoff + (long)i * shentsize);
            result.Add((BitConverter.ToUInt32(d, sh + 4), BitConverter.ToInt64(d, sh + 24), (int)BitConverter.ToUInt32(d, sh + 40)));
        }
        return result;
    }

    static string Str(byte[] d, long at)
    {
        int end = Array.IndexOf(d, (byte)0, (int)at);
        return Encoding.ASCII.GetString(d, (int)at, end - (int)at);
    }

    /// <summary>Version names an ELF file defines (its Verdef entries).</summary>
    static IEnumerable<string> Definitions(byte[] d)
    {
        var sections = Sections(d);
        foreach (var (type, offset, link) in sections)
        {
            if (type != ShtGnuVerdef) continue;
            long strtab = sections[link].Offset, off = offset;
            while (true)
            {
                long aux = off + BitConverter.ToUInt32(d, (int)off + 12);          // vd_aux; first Verdaux is the name
                yield return Str(d, strtab + BitConverter.ToUInt32(d, (int)aux));
                uint next = BitConverter.ToUInt32(d, (int)off + 16);               // vd_next
                if (next == 0) break;
                off += next;
            }
        }
    }

    /// <summary>Version needs of an ELF file (its Verneed/Vernaux entries), with where each one's flags are stored.</summary>
    static List<Need> Needs(byte[] d)
    {
        var result = new List<Need>();
        var sections = Sections(d);
        foreach (var (type, offset, link) in sections)
        {
            if (type != ShtGnuVerneed) continue;
            long strtab = sections[link].Offset, off = offset;
            while (true)
            {
                int count = BitConverter.ToUInt16(d, (int)off + 2);                 // vn_cnt
                string file = Str(d, strtab + BitConverter.ToUInt32(d, (int)off + 4)); // vn_file
                long aux = off + BitConverter.ToUInt32(d, (int)off + 8);           // vn_aux
                for (int k = 0; k < count; k++)
                {
                    result.Add(new Need
                    {
                        File = file,
                        Version = Str(d, strtab + BitConverter.ToUInt32(d, (int)aux + 8)), // vna_name
                        Flags = BitConverter.ToUInt16(d, (int)aux + 4),                     // vna_flags
                        FlagsOffset = (int)aux + 4,
                    });
                    aux += BitConverter.ToUInt32(d, (int)aux + 12);                // vna_next
                }
                uint next = BitConverter.ToUInt32(d, (int)off + 12);               // vn_next
                if (next == 0) break;
                off += next;
            }
        }
        return result;
    }
}
