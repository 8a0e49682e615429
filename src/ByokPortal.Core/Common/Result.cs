namespace ByokPortal.Core.Common;

/// <summary>
/// The outcome of a use case: a value, or one of the expected failures (<see cref="Error"/>).
/// Unexpected failures stay exceptions and reach the problem-details handler at the edge.
/// </summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T value)
    {
        _value = value;
        Error = null;
    }

    private Result(Error error)
    {
        _value = default;
        Error = error;
    }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => IsSuccess
        ? _value!
        : throw new InvalidOperationException($"The result is a failure ({Error!.GetType().Name}); check IsSuccess before reading Value.");

    public static implicit operator Result<T>(T value) => new(value);

    /// <summary>For values an implicit conversion cannot take (interfaces).</summary>
    #pragma warning disable CA1000 // the factory behind Result.Success
    internal static Result<T> Success(T value) => new(value);
#pragma warning restore CA1000

    public static implicit operator Result<T>(Error error) => new(error);

    public TOut Match<TOut>(Func<T, TOut> success, Func<Error, TOut> failure) =>
        IsSuccess ? success(_value!) : failure(Error!);
}

public static class Result
{
    /// <summary>A success whose value is an interface (implicit conversions do not apply to interfaces).</summary>
    public static Result<T> Success<T>(T value) => Result<T>.Success(value);
}

/// <summary>A use case that succeeds with nothing to return.</summary>
public readonly record struct Done
{
    public static readonly Done Value;
}
