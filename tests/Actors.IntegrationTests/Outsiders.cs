using Akka.Actor;
using Akka.TestKit;

namespace Actors.IntegrationTests;

/// <summary>What the specs of outsiders (strangers, holders of the wrong certificate) check on the probes that stood in for them.</summary>
internal static class Outsiders
{
    /// <summary>
    /// Nothing an outsider was sent names an actor: within <paramref name="quiet"/>, what may come
    /// back to each probe is its own system saying it found none. The probes are listened to side by
    /// side: the outsiders were all turned away at once, so one quiet period covers them all.
    /// </summary>
    public static async Task AssertNoSubjectAsync(IEnumerable<TestProbe> probes, TimeSpan quiet)
    {
        var replies = await Task.WhenAll(probes.Select(probe => probe.ReceiveWhileAsync(quiet, message => message).ToListAsync().AsTask()));
        Assert.All(replies.SelectMany(reply => reply), reply => Assert.True(reply is ActorIdentity { Subject: null }, $"an outsider got through: {reply}"));
    }
}
