using Akka.Actor;
using Akka.TestKit.Xunit2;
using SharedState;
using SharedState.Conditions;

namespace Actors.Tests.State;

/// <summary>The Condition row: withdrawals are held back (stashed) until the balance covers them.</summary>
public sealed class AccountSpecs : TestKit
{
    [Fact]
    public async Task Account_must_hold_back_a_withdrawal_until_the_balance_covers_it()
    {
        var account = Sys.ActorOf(Account.Props());

        account.Tell(new Withdraw(50));
        account.Tell(GetAccountState.Instance);
        // Had the withdrawal been served, its reply would have come first.
        Assert.Equal(new AccountState(0, 1), await ExpectMsgAsync<AccountState>());

        account.Tell(new PayIn(30));
        Assert.Equal(new PaidIn(30), await ExpectMsgAsync<PaidIn>());
        account.Tell(GetAccountState.Instance);
        Assert.Equal(new AccountState(30, 1), await ExpectMsgAsync<AccountState>());

        account.Tell(new PayIn(20));
        Assert.Equal(new PaidIn(50), await ExpectMsgAsync<PaidIn>());
        Assert.Equal(new Withdrawn(50, 0), await ExpectMsgAsync<Withdrawn>());
    }

    [Fact]
    public async Task Account_must_try_held_withdrawals_again_in_arrival_order_before_newer_messages()
    {
        var account = Sys.ActorOf(Account.Props());
        account.Tell(new Withdraw(50));
        account.Tell(new Withdraw(40));
        account.Tell(new Withdraw(1000));

        account.Tell(new PayIn(100));
        account.Tell(GetAccountState.Instance);

        await ExpectMsgAsync(new PaidIn(100));
        await ExpectMsgAsync(new Withdrawn(50, 50));
        await ExpectMsgAsync(new Withdrawn(40, 10));
        await ExpectMsgAsync(new AccountState(10, 1));
    }

    [Fact]
    public async Task The_condition_row_must_release_both_withdrawals_only_after_the_second_payment()
    {
        var result = await ConditionRow.RunAsync(Sys, SharedStateSettings.Default);

        Assert.Equal(2, result.HeldWhileShort);
        Assert.Equal([new Withdrawn(50, 50), new Withdrawn(40, 10)], result.Withdrawals);
        Assert.Equal(10, result.FinalBalance);
    }
}
