namespace SharedState.Semaphores;

/// <summary>Marker for the limited pool's messages.</summary>
public interface ILimitedWorkMessage;

/// <summary>Command: run the pool's work for <paramref name="Id"/>; answered with <see cref="WorkDone"/> or <see cref="WorkFailed"/>.</summary>
public sealed record DoWork(int Id) : ILimitedWorkMessage;

/// <summary>Reply to <see cref="DoWork"/>: the work for <paramref name="Id"/> finished.</summary>
public sealed record WorkDone(int Id) : ILimitedWorkMessage;

/// <summary>Reply to <see cref="DoWork"/>: the work for <paramref name="Id"/> threw.</summary>
public sealed record WorkFailed(int Id, string Error) : ILimitedWorkMessage;
