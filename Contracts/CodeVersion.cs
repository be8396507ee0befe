namespace Contracts;

/// <summary>The version of the code that trained a model.</summary>
/// <param name="Commit">The git commit checked out (<c>git rev-parse HEAD</c>), or null where there was no git repository.</param>
/// <param name="Dirty">Whether the code had changes not yet committed, so that the commit alone does not give it.</param>
public sealed record CodeVersion(string? Commit, bool Dirty);
