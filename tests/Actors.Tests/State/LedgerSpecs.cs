using Akka.Actor;
using Akka.TestKit.Xunit2;
using SharedState;
using SharedState.Reentrancy;

namespace Actors.Tests.State;

/// <summary>The RLock row: an actor that asks itself deadlocks until its Ask times out; a method call does not.</summary>
public sealed class LedgerSpecs : TestKit
{
    // Short: the self-Ask can only time out, and the spec waits for exactly that.
    private static readonly TimeSpan SelfAskTimeout = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_ledger_that_asks_itself_inside_a_handler_must_deadlock_until_its_ask_times_out()
    {
        var ledger = Sys.ActorOf(SelfAskingLedger.Props(SelfAskTimeout));

        ledger.Tell(new Deposit(100));
        ledger.Tell(GetBalance.Instance);

        // The balance query sits behind the deposit: it is answered only after the deposit gave up.
        var failed = await ExpectMsgAsync<DepositFailed>(TimeSpan.FromSeconds(30));
        Assert.StartsWith("AskTimeoutException", failed.Reason);
        Assert.Equal(new Balance(0), await ExpectMsgAsync<Balance>());
    }

    [Fact]
    public async Task A_ledger_that_calls_its_own_method_must_deposit_at_once()
    {
        var ledger = Sys.ActorOf(Ledger.Props());

        ledger.Tell(new Deposit(100));
        ledger.Tell(new Deposit(50));
        ledger.Tell(GetBalance.Instance);

        Assert.Equal(new Deposited(100), await ExpectMsgAsync<Deposited>());
        Assert.Equal(new Deposited(150), await ExpectMsgAsync<Deposited>());
        Assert.Equal(new Balance(150), await ExpectMsgAsync<Balance>());
    }

    [Fact]
    public async Task The_reentrancy_row_must_report_the_deadlock_and_the_fix()
    {
        var result = await ReentrancyRow.RunAsync(Sys, SharedStateSettings.Default with { SelfAskTimeout = SelfAskTimeout });

        Assert.IsType<DepositFailed>(result.SelfAsk);
        Assert.Equal(new Deposited(ReentrancyRow.Amount), result.Fixed);
    }
}
