using Akka.Actor;

namespace SharedState.Conditions;

/// <summary>What the Condition row observed, step by step.</summary>
/// <param name="HeldWhileShort">Withdrawals waiting after the first pay-in, which covered neither.</param>
/// <param name="Withdrawals">The withdrawals' replies, in the order they came.</param>
/// <param name="FinalBalance">The balance at the end.</param>
public sealed record ConditionRowResult(int HeldWhileShort, IReadOnlyList<Withdrawn> Withdrawals, long FinalBalance)
{
    public IEnumerable<string> Describe()
    {
        yield return $"withdraw 50 and withdraw 40 sent to an empty account; pay in 30: {HeldWhileShort} withdrawals still held back (not covered)";
        yield return $"pay in 70: released {string.Join(", then ", Withdrawals.Select(w => $"withdraw {w.Amount} (balance {w.Balance})"))}; final balance {FinalBalance}";
    }
}

/// <summary><c>threading.Condition</c> → an account that holds back withdrawals until its balance covers them.</summary>
public static class ConditionRow
{
    public static async Task<ConditionRowResult> RunAsync(ActorSystem system, SharedStateSettings settings, CancellationToken ct = default)
    {
        var account = system.ActorOf(Account.Props());
        try
        {
            var first = account.Ask<Withdrawn>(new Withdraw(50), settings.AskTimeout, ct);
            var second = account.Ask<Withdrawn>(new Withdraw(40), settings.AskTimeout, ct);
            await account.Ask<PaidIn>(new PayIn(30), settings.AskTimeout, ct);
            var held = await account.Ask<AccountState>(GetAccountState.Instance, settings.AskTimeout, ct);
            await account.Ask<PaidIn>(new PayIn(70), settings.AskTimeout, ct);
            var withdrawals = await Task.WhenAll(first, second);
            var final = await account.Ask<AccountState>(GetAccountState.Instance, settings.AskTimeout, ct);
            return new ConditionRowResult(held.WaitingWithdrawals, withdrawals, final.Balance);
        }
        finally
        {
            system.Stop(account);
        }
    }
}
