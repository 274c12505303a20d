using static TorchSharp.torch;

namespace Tractable.Data.Images;

/// <summary>
/// A folder of PNG and JPEG images as a dataset, <c>images:FOLDER</c>: 8-bit pixels (256 levels, so figures are in
/// bits/dim) as float32 integers 0…255, shape <c>[N, C, H, W]</c>, with C = 1 when every image is grey (R = G = B at
/// every pixel) and C = 3 otherwise.
/// </summary>
/// <remarks>
/// <para>Labels: images directly in a folder are unlabelled; images in one sub-folder per class are labelled by
/// folder, the classes numbered in the ordinal order of their names (<see cref="DataSplits.ClassNames"/>). A folder
/// holds one or the other; class folders hold images only. Other files, and names starting with a dot, are skipped.</para>
/// <para>Splits: when FOLDER has both <c>train/</c> and <c>test/</c>, those are the training and test images, and
/// validation is <c>validation/</c> (or <c>val/</c>, <c>valid/</c>) when present, else a seeded tenth of
/// <c>train/</c>. Otherwise every image is shuffled by the seed into 80% train, 10% validation and 10% test, as for
/// CSV tables.</para>
/// <para>Size: every image must have the size of the first (in the order train, validation, test, then by path), unless
/// a resolution is given, to which every image is then resized.</para>
/// </remarks>
public static class ImageFolder
{
    /// <summary>The prefix of the dataset's name: <c>images:FOLDER</c>.</summary>
    public const string Prefix = "images:";

    private static readonly string[] ValidationFolders = ["validation", "val", "valid"];

    /// <summary>
    /// Reads <paramref name="folder"/>, resized to <paramref name="resize"/> when given, split with <paramref name="seed"/>.
    /// A missing or empty folder, an unreadable image, images of several sizes without <paramref name="resize"/>, or a
    /// mixed layout is an error naming the folder or file.
    /// </summary>
    public static DataSplits Load(string folder, ImageResolution? resize = null, long seed = 0)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Image folder not found: {folder}");
        string trainFolder = Path.Combine(folder, "train"), testFolder = Path.Combine(folder, "test");
        return Directory.Exists(trainFolder) && Directory.Exists(testFolder)
            ? LoadSplitFolders(folder, trainFolder, testFolder, resize, seed)
            : LoadWhole(folder, resize, seed);
    }

    private static DataSplits LoadWhole(string folder, ImageResolution? resize, long seed)
    {
        Listing all = List(folder, null);
        if (all.Files.Length < Split.MinimumToSplit)
            throw new DataFormatException(
                $"{folder}: {all.Files.Length} images are too few to split into train, validation and test (at least {Split.MinimumToSplit}).");
        Tensor x = DecodeAll(all.Files, resize);
        (Split train, Split validation, Split test) = new Split(x, all.Labels).ShuffledThreeWays(seed);
        return Splits(folder, train, validation, test, all.Classes);
    }

    private static DataSplits LoadSplitFolders(string folder, string trainFolder, string testFolder, ImageResolution? resize, long seed)
    {
        Listing train = List(trainFolder, null);
        string? validationFolder = ValidationFolders.Select(v => Path.Combine(folder, v)).FirstOrDefault(Directory.Exists);
        Listing? validation = validationFolder is null ? null : List(validationFolder, train.Classes);
        Listing test = List(testFolder, train.Classes);
        if (validation is null && train.Files.Length < 2)
            throw new DataFormatException($"{trainFolder}: {train.Files.Length} image; at least 2 are needed (a tenth of them validates, as there is no validation folder).");
        string[] files = [.. train.Files, .. validation?.Files ?? [], .. test.Files];
        Tensor x = DecodeAll(files, resize);
        Split Part(Listing listing, long start) =>
            new(x.narrow(0, start, listing.Files.Length), listing.Labels);
        Split trainSplit = Part(train, 0), testSplit = Part(test, files.Length - test.Files.Length);
        Split validationSplit;
        if (validation is not null)
        {
            validationSplit = Part(validation, train.Files.Length);
        }
        else
        {
            (trainSplit, validationSplit) = trainSplit.Shuffled(seed).HoldOutLast(Math.Max(1, train.Files.Length / 10));
        }
        return Splits(folder, trainSplit, validationSplit, testSplit, train.Classes);
    }

    private static DataSplits Splits(string folder, Split train, Split validation, Split test, string[] classes) =>
        new(Prefix + folder, train, validation, test)
        {
            NumClasses = classes.Length,
            ClassNames = classes.Length > 0 ? classes : null,
            Levels = 256,
        };

    /// <summary>The images of one folder, by path, and their labels when they sit in class folders.</summary>
    private sealed record Listing(string[] Files, Tensor? Labels, string[] Classes);

    /// <summary>
    /// The images of <paramref name="root"/>: its own, or those of its class folders, labelled by class; with
    /// <paramref name="classes"/> (a test or validation folder), the classes are those of the training folder.
    /// </summary>
    private static Listing List(string root, string[]? classes)
    {
        string[] loose = Visible(Directory.GetFiles(root)).Where(ImageDecoder.IsImageFile).ToArray();
        var folders = Visible(Directory.GetDirectories(root))
            .Select(d => (Folder: d, Images: Visible(Directory.GetFiles(d)).Where(ImageDecoder.IsImageFile).ToArray())).ToArray();
        bool labelled = folders.Any(f => f.Images.Length > 0);
        if (loose.Length == 0 && !labelled)
            throw new DataFormatException($"{root}: no PNG or JPEG images ({string.Join(", ", ImageDecoder.Extensions)}), neither in it nor in class folders.");
        if (loose.Length > 0 && labelled)
            throw new DataFormatException(
                $"{root}: holds images both directly ({Path.GetFileName(loose[0])}) and in class folders ({Path.GetFileName(folders.First(f => f.Images.Length > 0).Folder)}/); put every image in a class folder, or none.");
        if (classes is not null && classes.Length > 0 != labelled)
            throw new DataFormatException(labelled
                ? $"{root}: has class folders but the training images have none; label both or neither."
                : $"{root}: holds unlabelled images but the training images are in class folders; use the same class folders.");
        if (!labelled) return new Listing(loose, null, []);

        foreach (var (folder, images) in folders)
        {
            if (images.Length == 0) throw new DataFormatException($"{folder}: a class folder with no PNG or JPEG images.");
            if (Visible(Directory.GetDirectories(folder)).FirstOrDefault() is string nested)
                throw new DataFormatException($"{nested}: a folder inside class folder {Path.GetFileName(folder)}/; class folders hold images only.");
        }
        string[] names = folders.Select(f => Path.GetFileName(f.Folder)).ToArray();
        classes ??= names;
        var labels = new List<long>();
        foreach (var (folder, images) in folders)
        {
            int label = Array.IndexOf(classes, Path.GetFileName(folder));
            if (label < 0)
                throw new DataFormatException($"{folder}: class '{Path.GetFileName(folder)}' is not among the training classes ({string.Join(", ", classes.Take(10))}{(classes.Length > 10 ? ", …" : "")}).");
            labels.AddRange(Enumerable.Repeat((long)label, images.Length));
        }
        return new Listing(folders.SelectMany(f => f.Images).ToArray(), tensor(labels.ToArray()), classes);
    }

    /// <summary>The paths whose names do not start with a dot, in ordinal order (the same on every machine).</summary>
    private static string[] Visible(string[] paths) =>
        paths.Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Every image of <paramref name="files"/> as <c>[N, C, H, W]</c> float32 pixels 0…255: one channel when all are
    /// grey, else three. Each must have the first image's size, unless <paramref name="resize"/> gives one to all.
    /// </summary>
    private static Tensor DecodeAll(string[] files, ImageResolution? resize)
    {
        var images = new DecodedImage[files.Length];
        for (int i = 0; i < files.Length; i++)
        {
            images[i] = ImageDecoder.Decode(files[i], resize);
            if (images[i].Width != images[0].Width || images[i].Height != images[0].Height)
                throw new DataFormatException(
                    $"{files[i]}: {images[i].Width}x{images[i].Height} pixels, but {files[0]} is {images[0].Width}x{images[0].Height}; every image needs one size (or set DataOptions.ImageSize to resize them all).");
        }
        int channels = images.All(im => im.IsGrey) ? 1 : 3, height = images[0].Height, width = images[0].Width;
        long perImage = (long)channels * height * width;
        if (perImage * files.Length > Array.MaxLength)
            throw new DataFormatException($"{files[0]}: {files.Length} images of {channels}x{height}x{width} pixels are more than one array holds ({Array.MaxLength} bytes); resize them smaller.");
        var pixels = new byte[perImage * files.Length];
        for (int i = 0; i < files.Length; i++) Buffer.BlockCopy(images[i].Planes, 0, pixels, (int)(i * perImage), (int)perImage);
        using var scope = NewDisposeScope();
        return tensor(pixels, [files.Length, channels, height, width], dtype: uint8).to(float32).MoveToOuterDisposeScope();
    }
}
