namespace Contracts;

/// <summary>A fixed, stratified, seeded division of a dataset.</summary>
/// <param name="Training">Images used to fit the weights.</param>
/// <param name="Validation">Images held out of training and used to choose the epoch.</param>
/// <param name="Test">Images never used for training or model selection.</param>
/// <param name="Seed">The seed of the stratified shuffle.</param>
public sealed record DatasetSplit(int Training, int Validation, int Test, int Seed);
