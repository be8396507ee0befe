namespace Engine.Inference;

/// <summary>A model cannot serve: its files are missing, unreadable or corrupt, or its backend failed its checks.</summary>
public sealed class ModelLoadException(string message, Exception? innerException = null) : Exception(message, innerException);
