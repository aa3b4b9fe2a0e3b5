namespace SharedState.Reentrancy;

/// <summary>Marker for the ledger's messages.</summary>
public interface ILedgerMessage;

/// <summary>Command: add <paramref name="Amount"/>; answered with <see cref="Deposited"/> or <see cref="DepositFailed"/>.</summary>
public sealed record Deposit(long Amount) : ILedgerMessage;

/// <summary>Reply to <see cref="Deposit"/>: the balance after it.</summary>
public sealed record Deposited(long Balance) : ILedgerMessage;

/// <summary>Reply to <see cref="Deposit"/> when it could not be applied.</summary>
/// <param name="Reason">What went wrong, with the exception's type.</param>
public sealed record DepositFailed(string Reason) : ILedgerMessage;

/// <summary>Query: answered with <see cref="Balance"/>.</summary>
public sealed record GetBalance : ILedgerMessage
{
    /// <summary>The only instance.</summary>
    public static GetBalance Instance { get; } = new();

    private GetBalance() { }
}

/// <summary>Reply to <see cref="GetBalance"/>.</summary>
public sealed record Balance(long Amount) : ILedgerMessage;
