namespace Contracts;

/// <summary>Why one image of a batch got no classification: the fields of an RFC 9457 problem.</summary>
/// <param name="Type">The stable problem type, as in the service's error responses.</param>
/// <param name="Title">The type in words.</param>
/// <param name="Status">The HTTP status the image would have got alone.</param>
/// <param name="Detail">What exactly was wrong.</param>
public sealed record BatchItemProblem(string Type, string Title, int Status, string Detail);
