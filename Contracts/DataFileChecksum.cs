namespace Contracts;

/// <summary>One data file a model learnt or was tested on, identified by its content.</summary>
/// <param name="File">The IDX file's name, without a <c>.gz</c> ending, e.g. <c>train-images-idx3-ubyte</c>.</param>
/// <param name="Sha256">The SHA-256 of its IDX bytes (after decompressing a <c>.gz</c> file), lower-case hex.</param>
public sealed record DataFileChecksum(string File, string Sha256);
