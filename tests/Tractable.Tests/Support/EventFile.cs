using System.Numerics;

namespace Tractable.Tests.Support;

/// <summary>
/// Reads TensorBoard event files back: TFRecord framing (little-endian 64-bit length, masked CRC-32C of the length, the
/// record, masked CRC-32C of the record), each record a <c>tensorboard.Event</c> protobuf (TorchSharp's generated type).
/// </summary>
public static class EventFile
{
    /// <summary>The events of every event file in <paramref name="directory"/>, checksums verified.</summary>
    public static List<Tensorboard.Event> ReadAll(string directory) =>
        Directory.GetFiles(directory, "events.out.tfevents.*").Order().SelectMany(Read).ToList();

    /// <summary>The events of one file, checksums verified.</summary>
    public static IEnumerable<Tensorboard.Event> Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var events = new List<Tensorboard.Event>();
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            byte[] header = reader.ReadBytes(8);
            Assert.Equal(MaskedCrc(header), reader.ReadUInt32());
            byte[] record = reader.ReadBytes((int)BitConverter.ToInt64(header));
            Assert.Equal(MaskedCrc(record), reader.ReadUInt32());
            events.Add(Tensorboard.Event.Parser.ParseFrom(record));
        }
        return events;
    }

    /// <summary>The (step, value) pairs of scalar <paramref name="tag"/>, in file order.</summary>
    public static List<(long Step, float Value)> Scalars(IEnumerable<Tensorboard.Event> events, string tag) =>
        events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Where(v => v.Tag == tag).Select(v => (e.Step, v.SimpleValue))).ToList();

    /// <summary>The steps at which image <paramref name="tag"/> was written, with the image's width and height.</summary>
    public static List<(long Step, int Width, int Height)> Images(IEnumerable<Tensorboard.Event> events, string tag) =>
        events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Where(v => v.Tag == tag && v.Image is not null)
            .Select(v => (e.Step, v.Image.Width, v.Image.Height))).ToList();

    /// <summary>TFRecord's masked CRC-32C (Castagnoli): the CRC rotated right by 15 bits plus a constant.</summary>
    private static uint MaskedCrc(byte[] data)
    {
        uint crc = ~0u;
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
