namespace SharedState.Conditions;

/// <summary>Marker for the account's messages.</summary>
public interface IAccountMessage;

/// <summary>Command: add <paramref name="Amount"/>; answered with <see cref="PaidIn"/>. Wakes the withdrawals it now covers.</summary>
public sealed record PayIn(long Amount) : IAccountMessage;

/// <summary>Reply to <see cref="PayIn"/>: the balance right after it (before any withdrawal it wakes).</summary>
public sealed record PaidIn(long Balance) : IAccountMessage;

/// <summary>Command: take <paramref name="Amount"/> out, waiting until the balance covers it; answered with <see cref="Withdrawn"/>.</summary>
public sealed record Withdraw(long Amount) : IAccountMessage;

/// <summary>Reply to <see cref="Withdraw"/>: the amount was taken out, leaving <paramref name="Balance"/>.</summary>
public sealed record Withdrawn(long Amount, long Balance) : IAccountMessage;

/// <summary>Query: answered with <see cref="AccountState"/>.</summary>
public sealed record GetAccountState : IAccountMessage
{
    /// <summary>The only instance.</summary>
    public static GetAccountState Instance { get; } = new();

    private GetAccountState() { }
}

/// <summary>Reply to <see cref="GetAccountState"/>.</summary>
/// <param name="Balance">What the account holds.</param>
/// <param name="WaitingWithdrawals">Withdrawals held back until the balance covers them.</param>
public sealed record AccountState(long Balance, int WaitingWithdrawals) : IAccountMessage;
