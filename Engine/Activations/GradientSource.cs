namespace Engine.Activations;

/// <summary>What an activation's backward pass reads: the forward input x or the forward output y.</summary>
/// <remarks>
/// Where f' is as cheap from y as from x, the output is the better choice: a network then keeps only
/// y, and ELU's backward pass needs no exponential (f'(x) = y + 1 for x ≤ 0).
/// </remarks>
public enum GradientSource
{
    /// <summary>The backward pass reads the forward input x.</summary>
    Input,

    /// <summary>The backward pass reads the forward output y = f(x).</summary>
    Output,
}
