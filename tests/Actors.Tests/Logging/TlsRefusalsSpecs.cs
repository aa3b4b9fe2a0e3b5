using Actors.Logging;

namespace Actors.Tests.Logging;

public sealed class TlsRefusalsSpecs
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_refusal_repeated_within_the_interval_is_held_back_and_counted_on_the_next_one_written()
    {
        var refusals = new TlsRefusals();
        const string refused = "Refused TLS peer ssl.tcp://actors@127.0.0.1:4053: its certificate CN=seed was not issued by CN=other CA";

        Assert.True(refusals.ShouldWrite(refused, Start, Minute, out var held));
        Assert.Equal(0, held);
        Assert.False(refusals.ShouldWrite(refused, Start.AddSeconds(5), Minute, out _));
        Assert.False(refusals.ShouldWrite(refused, Start.AddSeconds(10), Minute, out _));
        Assert.True(refusals.ShouldWrite(refused, Start.AddSeconds(61), Minute, out held));
        Assert.Equal(2, held);
    }

    [Fact]
    public void Handshake_failures_that_differ_only_in_ports_and_channel_ids_are_one_kind_and_other_texts_are_not()
    {
        var refusals = new TlsRefusals();

        Assert.True(refusals.ShouldWrite("TLS handshake failed on channel [[::ffff:127.0.0.1]:47354->[::ffff:127.0.0.1]:41599](Id=3de55ae6)\nTLS handshake failed (Client side):", Start, Minute, out _));
        Assert.False(refusals.ShouldWrite("TLS handshake failed on channel [[::ffff:127.0.0.1]:47366->[::ffff:127.0.0.1]:41599](Id=00c43012)\nError: Channel is closed", Start, Minute, out _));
        Assert.True(refusals.ShouldWrite("Refused TLS peer ssl.tcp://actors@127.0.0.1:41599: not issued by CN=other CA", Start, Minute, out _));
    }

    [Fact]
    public void The_last_certificate_refusal_is_kept_for_a_final_error()
    {
        var refusals = new TlsRefusals();

        refusals.ShouldWrite("Refused TLS peer ssl.tcp://actors@127.0.0.1:4053: not issued by CN=other CA\nmore", Start, Minute, out _);
        refusals.ShouldWrite("TLS handshake failed on channel [x](Id=1)", Start, Minute, out _);

        Assert.Equal("Refused TLS peer ssl.tcp://actors@127.0.0.1:4053: not issued by CN=other CA", refusals.Last);
        Assert.True(TlsRefusals.IsRefusal("Rejected incoming connection from [[::ffff:198.18.0.12]:33532] due to TLS handshake failure."));
        Assert.False(TlsRefusals.IsRefusal("Marking node(s) as UNREACHABLE"));
    }
}
