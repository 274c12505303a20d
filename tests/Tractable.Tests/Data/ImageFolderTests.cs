using Tractable.Data;
using Tractable.Data.Images;
using Tractable.Tests.Support;
using static TorchSharp.torch;
using static Tractable.Fuzzing.SampleFiles;

namespace Tractable.Tests.Data;

/// <summary>Folders of PNG and JPEG images (<c>images:FOLDER</c>), written here by SkiaSharp, read back pixel for pixel.</summary>
public sealed class ImageFolderTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Image <paramref name="i"/>'s colour at (x, y): every value tells the image, the place and the channel apart.</summary>
    private static (byte R, byte G, byte B) Colour(int i, int x, int y) => ((byte)(10 * i + x), (byte)(100 + 10 * y + i), (byte)(200 + x + y));

    /// <summary>Writes <paramref name="count"/> images of 4 × 3 pixels into <paramref name="subfolder"/>, numbered from <paramref name="first"/>.</summary>
    private void WriteImages(string subfolder, int first, int count, int width = 4, int height = 3, bool grey = false)
    {
        string dir = Directory.CreateDirectory(Path.Combine(folder, subfolder)).FullName;
        for (int i = first; i < first + count; i++)
            File.WriteAllBytes(Path.Combine(dir, $"{i:D3}.png"), Image(width, height, (x, y) => Colour(i, x, y), grey));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static Split All(DataSplits d) =>
        new(cat([d.Train.X, d.Validation.X, d.Test.X]), d.Train.Labels is null ? null : cat([d.Train.Labels, d.Validation.Labels!, d.Test.Labels!]));

    [Fact]
    public void ClassFoldersLabelTheImagesInTheOrderOfTheirNames()
    {
        WriteImages("dog", 0, 6);
        WriteImages("cat", 6, 6);
        File.WriteAllText(Path.Combine(folder, "dog", "notes.txt"), "not an image");
        File.WriteAllBytes(Path.Combine(folder, "cat", ".hidden.png"), [1, 2, 3]);
        DataSplits d = DatasetCatalog.Load(ImageFolder.Prefix + folder);

        Assert.Equal(ImageFolder.Prefix + folder, d.Name);
        Assert.Equal(["cat", "dog"], d.ClassNames!);
        Assert.Equal(2, d.NumClasses);
        Assert.Equal(256, d.Levels);
        Assert.Equal([3L, 3, 4], d.EventShape);                              // [C, H, W] of 4-wide, 3-high RGB images
        Assert.Equal((10L, 1L, 1L), (d.Train.Count, d.Validation.Count, d.Test.Count));
        Split all = All(d);
        for (int n = 0; n < all.Count; n++)
        {
            int i = (int)all.X[n, 0, 0, 0].item<float>() / 10;                // red at (0, 0) is 10 i
            Tensor expected = tensor(Enumerable.Range(0, 3).SelectMany(c => Enumerable.Range(0, 3).SelectMany(y => Enumerable.Range(0, 4)
                .Select(x => (float)(c switch { 0 => Colour(i, x, y).R, 1 => Colour(i, x, y).G, _ => Colour(i, x, y).B })))).ToArray()).reshape(3, 3, 4);
            Assert.True(Same(all.X[n], expected), $"image {i} differs");
            Assert.Equal(i < 6 ? 1L : 0L, all.Labels![n].item<long>());     // dog = 1, cat = 0
        }
        Assert.Contains("2 classes: 0 cat, 1 dog", d.Describe());
    }

    [Fact]
    public void GreyImagesGiveOneChannelAndAnyColourGivesThree()
    {
        WriteImages("", 0, 5, grey: true);
        WriteImages("", 5, 5, grey: false);
        // RGB files with R = G = B are grey too.
        File.Delete(Path.Combine(folder, "009.png"));
        File.WriteAllBytes(Path.Combine(folder, "009.png"), Image(4, 3, (x, y) => ((byte)(x + y), (byte)(x + y), (byte)(x + y))));
        Assert.Equal([3L, 3, 4], ImageFolder.Load(folder).EventShape);
        for (int i = 5; i < 9; i++) File.Delete(Path.Combine(folder, $"{i:D3}.png"));
        WriteImages("", 5, 4, grey: true);
        DataSplits grey = ImageFolder.Load(folder);
        Assert.Equal([1L, 3, 4], grey.EventShape);
        Assert.Null(grey.ClassNames);
        Assert.Equal(0, grey.NumClasses);
        // The grey level is the value written: 10 i + x for images 0 … 8, x + y for image 9, here at (x, y) = (3, 2).
        float[] expected = [.. Enumerable.Range(0, 9).Select(i => 10f * i + 3), 5f];
        Assert.Equal(expected.Order(), All(grey).X[.., 0, 2, 3].data<float>().ToArray().Order());
    }

    [Fact]
    public void TrainAndTestFoldersAreTheSplitsAndATenthOfTrainValidates()
    {
        WriteImages(Path.Combine("train", "a"), 0, 10);
        WriteImages(Path.Combine("train", "b"), 10, 10);
        WriteImages(Path.Combine("test", "b"), 20, 3);
        DataSplits d = ImageFolder.Load(folder, seed: 3);
        Assert.Equal((18L, 2L, 3L), (d.Train.Count, d.Validation.Count, d.Test.Count));
        Assert.Equal(["a", "b"], d.ClassNames!);
        Assert.Equal([1L, 1, 1], d.Test.Labels!.data<long>().ToArray()); // test's only class is train's second
        float[] testReds = d.Test.X[.., 0, 0, 0].data<float>().ToArray();
        Assert.Equal([200f, 210f, 220f], testReds);                       // test images in path order, none of them trained on

        WriteImages("validation/a", 23, 2);
        DataSplits withValidation = ImageFolder.Load(folder, seed: 3);
        Assert.Equal((20L, 2L, 3L), (withValidation.Train.Count, withValidation.Validation.Count, withValidation.Test.Count));
        Assert.Equal([230f, 240f], withValidation.Validation.X[.., 0, 0, 0].data<float>().ToArray());
    }

    [Fact]
    public void TheSplitIsFixedByTheSeed()
    {
        WriteImages("", 0, 20);
        Tensor Order(long seed) => ImageFolder.Load(folder, seed: seed).Train.X[.., 0, 0, 0];
        Assert.True(Same(Order(1), Order(1)));
        Assert.False(Same(Order(1), Order(2)));
    }

    [Fact]
    public void ImagesOfSeveralSizesAreRefusedUnlessResized()
    {
        WriteImages("", 0, 10, width: 8, height: 8);
        File.WriteAllBytes(Path.Combine(folder, "004.png"), Image(16, 12, (_, _) => (40, 80, 120)));
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(folder));
        Assert.Contains($"{Path.Combine(folder, "004.png")}: 16x12 pixels, but {Path.Combine(folder, "000.png")} is 8x8", e.Message);
        Assert.Contains("DataOptions.ImageSize", e.Message);

        WriteImages("", 10, 2, width: 4, height: 4);
        DataSplits d = DatasetCatalog.Load(ImageFolder.Prefix + folder, new DataOptions { ImageSize = ImageResolution.Parse("6x4") });
        Assert.Equal([3L, 4, 6], d.EventShape);
        // A flat colour stays that colour when resized.
        Tensor flat = All(d).X.index_select(0, All(d).X[.., 2, 0, 0].eq(120).nonzero().squeeze(1));
        Assert.Equal(1, flat.shape[0]);
        Assert.True(flat[0, 0].eq(40).all().item<bool>() && flat[0, 1].eq(80).all().item<bool>() && flat[0, 2].eq(120).all().item<bool>());
    }

    [Fact]
    public void OtherDataRefusesAnImageSize()
    {
        var e = Assert.Throws<InvalidSettingException>(() => DatasetCatalog.Load("moons", new DataOptions { ImageSize = new ImageResolution(8, 8) }));
        Assert.Equal("ImageSize", e.Setting);
        Assert.Contains("'moons' is not an image folder", e.Message);
    }

    [Fact]
    public void JpegFilesAreRead()
    {
        string dir = Directory.CreateDirectory(Path.Combine(folder, "j")).FullName;
        for (int i = 0; i < 10; i++)
            File.WriteAllBytes(Path.Combine(dir, $"{i}.JPG"), Image(8, 8, (_, _) => (200, 60, (byte)(10 * i)), jpegQuality: 95));
        DataSplits d = ImageFolder.Load(dir);
        Assert.Equal([3L, 8, 8], d.EventShape);
        Assert.InRange(All(d).X[.., 0].mean().item<float>(), 195, 205);  // lossy, but close to the colour written
    }

    [Theory]
    [InlineData("32", 32, 32)]
    [InlineData("64x48", 64, 48)]
    [InlineData(" 7X9 ", 7, 9)]
    public void ImageSizesParse(string text, int width, int height) =>
        Assert.Equal(new ImageResolution(width, height), ImageResolution.Parse(text));

    [Theory]
    [InlineData("0")]
    [InlineData("32x")]
    [InlineData("-4x4")]
    [InlineData("4x4x3")]
    [InlineData("5000")]
    public void BadImageSizesNameTheSetting(string text)
    {
        var e = Assert.Throws<InvalidSettingException>(() => ImageResolution.Parse(text));
        Assert.Equal("ImageSize", e.Setting);
        Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void BadFoldersAreRefusedNamingTheFolderOrFile()
    {
        Assert.Contains("nope", Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(Path.Combine(folder, "nope"))).Message);

        Directory.CreateDirectory(Path.Combine(folder, "empty"));
        File.WriteAllText(Path.Combine(folder, "empty", "readme.txt"), "no images");
        Refused(Path.Combine(folder, "empty"), "empty: no PNG or JPEG images");

        WriteImages("few", 0, 9);
        Refused(Path.Combine(folder, "few"), "few: 9 images are too few to split", "at least 10");

        WriteImages("broken", 0, 10);
        File.WriteAllText(Path.Combine(folder, "broken", "003.png"), "this is text");
        Refused(Path.Combine(folder, "broken"), Path.Combine("broken", "003.png") + ": not a readable PNG or JPEG image");

        WriteImages("cut", 0, 10);
        byte[] png = File.ReadAllBytes(Path.Combine(folder, "cut", "005.png"));
        File.WriteAllBytes(Path.Combine(folder, "cut", "005.png"), png[..(png.Length * 2 / 3)]);
        Refused(Path.Combine(folder, "cut"), Path.Combine("cut", "005.png") + ":");

        WriteImages("mixed", 0, 10);
        WriteImages(Path.Combine("mixed", "cats"), 10, 2);
        Refused(Path.Combine(folder, "mixed"), "mixed: holds images both directly (000.png) and in class folders (cats/)");

        WriteImages(Path.Combine("nested", "a"), 0, 5);
        WriteImages(Path.Combine("nested", "a", "deeper"), 5, 5);
        Refused(Path.Combine(folder, "nested"), "deeper: a folder inside class folder a/");

        WriteImages(Path.Combine("unknown", "train", "a"), 0, 5);
        WriteImages(Path.Combine("unknown", "test", "z"), 5, 2);
        Refused(Path.Combine(folder, "unknown"), "class 'z' is not among the training classes (a)");
    }

    private static void Refused(string path, params string[] fragments)
    {
        var e = Assert.Throws<DataFormatException>(() => ImageFolder.Load(path));
        foreach (string f in fragments) Assert.Contains(f, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
