namespace Api.Apis;

/// <summary>One uploaded image: its bytes and, for a form part, its file name.</summary>
public readonly record struct ImagePart(ReadOnlyMemory<byte> Bytes, string? FileName);
