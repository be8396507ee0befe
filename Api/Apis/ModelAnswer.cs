using Engine.Inference;
using Microsoft.AspNetCore.Mvc;

namespace Api.Apis;

/// <summary>One model's answer for one image: its probabilities and digit, or the problem that stopped it.</summary>
public sealed record ModelAnswer(DigitModel Model, float[] Probabilities, int Digit, double Milliseconds, ProblemDetails? Problem);
