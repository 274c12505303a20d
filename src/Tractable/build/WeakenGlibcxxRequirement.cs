using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on the Elf64_Vernaux entry naming <see cref="VersionName"/> in each of <see cref="Files"/>
/// (copies of libLibTorchSharp.so in a build or publish output), so that a host whose libstdc++ lacks that version
/// still loads it; where the host has the version, a weak requirement binds exactly as a strong one. Missing files
/// are skipped. Idempotent; writes through a temporary file so a hard-linked package cache is never modified.
/// <see cref="Weakened"/> lists the files whose requirement is weak afterwards.
/// </summary>
public class WeakenGlibcxxRequirement : Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";
    [Output] public ITaskItem[] Weakened { get; set; } = Array.Empty<ITaskItem>();

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    public override bool Execute()
    {
        var weakened = new List<ITaskItem>();
        foreach (ITaskItem item in Files)
        {
            string target = item.GetMetadata("FullPath");
            if (!File.Exists(target)) continue;
            byte[] elf = File.ReadAllBytes(target);
            int changed = Weaken(elf, VersionName);
            if (changed < 0)
            {
                Log.LogWarning("{0}: not a 64-bit little-endian ELF file with version requirements; left as is.", target);
                continue;
            }
            weakened.Add(item);
            if (changed == 0) continue; // already weak, or not required

            string temp = target + ".tmp";
            File.WriteAllBytes(temp, elf);
            File.Delete(target);
            File.Move(temp, target);
            Log.LogMessage(MessageImportance.Normal, "Marked {0} weak in {1}.", VersionName, target);
        }
        Weakened = weakened.ToArray();
        return true;
    }

    /// <summary>Returns the number of entries changed, or -1 when the file is not a usable ELF64.</summary>
    private static int Weaken(byte[] elf, string versionName)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 || elf[5] != 1) return -1;
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        bool found = false;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            found = true;
            long offset = BitConverter.ToInt64(elf, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 40);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 44);
            long strtab = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize) + 24);

            long vn = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(elf, (int)vn + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long nameOffset = strtab + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadCString(elf, nameOffset) == versionName)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlgWeak) == 0)
                        {
                            flags |= VerFlgWeak;
                            elf[aux + 4] = (byte)(flags & 0xff);
                            elf[aux + 5] = (byte)(flags >> 8);
                            changed++;
                        }
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(elf, (int)vn + 12);
            }
        }
        return found ? changed : -1;
    }

    private static string ReadCString(byte[] data, long offset)
    {
        long end = offset;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)offset, (int)(end - offset));
    }
}
