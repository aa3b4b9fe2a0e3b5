using System.Runtime.Serialization;
using Actors.Configuration;
using Actors.Pool;
using Actors.Protocol;
using Actors.Serialization;
using Actors.Tests.Pool;

namespace Actors.Tests.Serialization;

/// <summary>
/// The bytes <see cref="ActorsSerializer"/> puts on the wire: each message written once into an
/// array of exactly its size, batches of chunks and of answers kept in order, and any count or
/// length that claims more than the message holds, or a message cut short or run on, refused.
/// </summary>
public sealed class WireFormatSpecs() : Akka.TestKit.Xunit2.TestKit(ActorsConfig.Defaults)
{
    private const string Job = "Actors.Jobs.SquareJob, Actors.Core";

    private ActorsSerializer Serializer => (ActorsSerializer)Sys.Serialization.FindSerializerForType(typeof(RunChunk));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8_191)]
    [InlineData(8_000)] // an automatic chunk in processes mode
    [InlineData(8_192)]
    [InlineData(10_000)]
    public void Serializer_must_write_a_chunk_into_an_array_of_exactly_its_size(int count)
    {
        var inputs = Enumerable.Range(0, count).Select(i => (long)i * i - 7).ToArray();
        var message = new RunChunk(9, Job, new ArrayRegion(inputs, 0, count));

        var bytes = Serializer.ToBinary(message);

        // Id, the job's name and its length, the payload's tag and count, then the inputs as they are in memory.
        Assert.Equal(8 + 1 + Job.Length + 1 + 4 + 8 * count, bytes.Length);
        var copy = Assert.IsType<RunChunk>(Serializer.FromBinary(bytes, "R"));
        Assert.Equal((9L, Job), (copy.ChunkId, copy.JobType));
        Assert.Equal(inputs, (long[])copy.Inputs.ToArray());
    }

    [Fact]
    public void Serializer_must_write_only_the_region_of_an_array_a_chunk_is()
    {
        var caller = Enumerable.Range(0, 100).Select(i => (long)i).ToArray();

        var bytes = Serializer.ToBinary(new RunChunk(1, Job, new ArrayRegion(caller, 40, 3)));

        Assert.Equal(new long[] { 40, 41, 42 }, (long[])((RunChunk)Serializer.FromBinary(bytes, "R")).Inputs.ToArray());
        Assert.Equal(8 + 1 + Job.Length + 1 + 4 + 3 * 8, bytes.Length);
    }

    [Fact]
    public void An_automatic_chunk_of_processes_mode_must_stay_under_64_KiB_both_ways()
    {
        var settings = PoolSettings.Create(ActorsConfig.Load(new ConfigOptions { Mode = "processes", Directory = RepositoryFolders.Config() }).GetConfig(PoolSettings.SectionPath));
        var longs = new long[settings.MaxAutoChunkSize];

        var run = Serializer.ToBinary(new RunChunk(long.MaxValue, Job, longs));
        var done = Serializer.ToBinary(new ChunkCompleted(long.MaxValue, longs, int.MaxValue) { RunTime = TimeSpan.MaxValue });

        // Akka's envelope adds a few hundred bytes: the frame stays under 64 KiB, past which the
        // transport's receive buffer would double to 128 KiB, a large object.
        Assert.InRange(run.Length, 1, 65_536 - 1_000);
        Assert.InRange(done.Length, 1, 65_536 - 1_000);
    }

    [Theory]
    [InlineData(0, 'a')]
    [InlineData(127, 'a')]
    [InlineData(128, 'a')]
    [InlineData(64, 'é')] // 128 bytes in UTF-8: the length takes two bytes
    [InlineData(16_383, 'a')]
    [InlineData(16_384, 'a')]
    [InlineData(2_097_152, 'a')]
    public void Serializer_must_round_trip_strings_at_each_boundary_of_their_length_prefix(int length, char letter)
    {
        var text = new string(letter, length);
        var message = new RunChunk(1, text, new string?[] { text, null, "" });

        var copy = (RunChunk)Serializer.FromBinary(Serializer.ToBinary(message), "R");

        Assert.Equal(text, copy.JobType);
        Assert.Equal(new string?[] { text, null, "" }, (string?[])copy.Inputs.ToArray());
    }

    [Fact]
    public void Serializer_must_round_trip_a_batch_of_chunks_in_order_writing_each_run_of_one_jobs_name_once()
    {
        RunChunk[] chunks =
        [
            new(1, Job, new long[] { 1 }), new(2, Job, new long[] { 2, 3 }), new(5, "other", new long[] { 4 }), new(3, Job, Array.Empty<long>()),
        ];

        var bytes = Serializer.ToBinary(new RunChunks(chunks));
        var copy = Assert.IsType<RunChunks>(Serializer.FromBinary(bytes, "B"));

        Assert.Equal(chunks.Select(c => (c.ChunkId, c.JobType)), copy.Chunks.Select(c => (c.ChunkId, c.JobType)));
        Assert.Equal(chunks.Select(c => (long[])c.Inputs.ToArray()), copy.Chunks.Select(c => (long[])c.Inputs.ToArray()));
        // Count; each chunk's id, flag, tag, count and inputs; a name where the job changes (three times).
        Assert.Equal(4 + 4 * (8 + 1 + 1 + 4) + 8 * 4 + 3 * (1 + Job.Length) - (1 + Job.Length) + (1 + "other".Length), bytes.Length);
    }

    [Fact]
    public void Serializer_must_round_trip_a_batch_of_answers_of_every_kind_in_order()
    {
        IChunkAnswer[] answers =
        [
            new ChunkCompleted(4, new long[] { 16 }, 77) { RunTime = TimeSpan.FromTicks(123) },
            new ChunkFailed(5, 1, new long[] { 25 }, new JobError("Boom", "bad input", "at Job.Run()", 77), Retryable: true, 77),
            new ChunkRefused(6, "too large", 77),
            new ChunkCompleted(7, null, 77),
        ];

        var copy = Assert.IsType<ChunkAnswers>(Serializer.FromBinary(Serializer.ToBinary(new ChunkAnswers(answers)), "A"));

        Assert.Equal(answers.Select(a => (a.GetType(), a.ChunkId)), copy.Answers.Select(a => (a.GetType(), a.ChunkId)));
        var done = (ChunkCompleted)copy.Answers[0];
        Assert.Equal(new long[] { 16 }, (long[])done.Outputs!);
        Assert.Equal((77, TimeSpan.FromTicks(123)), (done.Pid, done.RunTime));
        var failed = (ChunkFailed)copy.Answers[1];
        Assert.Equal((1, new JobError("Boom", "bad input", "at Job.Run()", 77), true), (failed.FailedOffset, failed.Error, failed.Retryable));
        Assert.Equal("too large", ((ChunkRefused)copy.Answers[2]).Reason);
        Assert.Null(((ChunkCompleted)copy.Answers[3]).Outputs);
    }

    [Fact]
    public void Serializer_must_refuse_every_message_cut_short()
    {
        (object Message, string Manifest)[] messages =
        [
            (new RunChunk(1, Job, new long[] { 1, 2 }), "R"),
            (new RunChunk(1, Job, new string?[] { "a", null }), "R"),
            (new RunChunks([new RunChunk(1, Job, new int[] { 1 }), new RunChunk(2, Job, new int[] { 2 })]), "B"),
            (new ChunkAnswers([new ChunkCompleted(1, new long[] { 1 }, 2), new ChunkRefused(2, "no", 2)]), "A"),
            (new ChunkFailed(1, 0, null, JobError.Of("Boom", "bad"), true, 3), "F"),
        ];
        foreach (var (message, manifest) in messages)
        {
            var bytes = Serializer.ToBinary(message);
            for (var length = 0; length < bytes.Length; length++)
            {
                var cut = bytes[..length];
                Assert.Throws<SerializationException>(() => Serializer.FromBinary(cut, manifest));
            }
        }
    }

    [Fact]
    public void Serializer_must_refuse_bytes_after_the_end_of_a_message()
    {
        var bytes = Serializer.ToBinary(new Probe(7));

        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary([.. bytes, 0], "P"));

        Assert.Contains("1 bytes follow the end of a 'P' message", e.Message);
    }

    [Fact]
    public void Serializer_must_refuse_counts_and_lengths_that_claim_more_than_the_message_holds()
    {
        var chunk = Serializer.ToBinary(new RunChunk(1, "job", new long[] { 1, 2, 3 }));
        Refused(With(chunk, 13, BitConverter.GetBytes(400_000_000)), "R", "claims 400000000 items");
        Refused(With(chunk, 13, BitConverter.GetBytes(-1)), "R", "claims -1 items");
        Refused(With(chunk, 8, [0x7F]), "R", "the message ends before a string of 127 bytes");
        Refused(With(chunk, 8, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]), "R", "not a valid 7-bit encoded number");

        var batch = Serializer.ToBinary(new RunChunks([new RunChunk(1, "job", new long[] { 1 })]));
        Refused(With(batch, 0, BitConverter.GetBytes(int.MaxValue)), "B", $"claims {int.MaxValue} items");
        var answers = Serializer.ToBinary(new ChunkAnswers([new ChunkRefused(1, "no", 2)]));
        Refused(With(answers, 0, BitConverter.GetBytes(1 << 20)), "A", "claims 1048576 items");
    }

    [Fact]
    public void Serializer_must_refuse_values_no_writer_makes()
    {
        var batch = Serializer.ToBinary(new RunChunks([new RunChunk(1, "job", new long[] { 1 })]));
        Refused(With(batch, 12, [1]), "B", "the first chunk of a batch names no job");
        Refused(With(batch, 12, [2]), "B", "a flag of 2 is neither 0 nor 1");

        var answers = Serializer.ToBinary(new ChunkAnswers([new ChunkRefused(1, "no", 2)]));
        Refused(With(answers, 4, [(byte)'R']), "A", "an answer of unknown kind 'R'");

        var done = Serializer.ToBinary(new ChunkCompleted(1, new long[] { 1 }, 2) { RunTime = TimeSpan.FromTicks(5) });
        Refused(With(done, done.Length - 8, BitConverter.GetBytes(-5L)), "D", "run time of -5 ticks is negative");
        Refused(With(done, 8, [42]), "D", "unknown payload tag 42");

        var flags = Serializer.ToBinary(new ChunkCompleted(1, new[] { true, false }, 2));
        Refused(With(flags, 8 + 1 + 4, [7]), "D", "a payload of flags holds a byte that is neither 0 nor 1");
    }

    private void Refused(byte[] bytes, string manifest, string because)
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, manifest));
        Assert.Contains(because, e.Message);
    }

    /// <summary>A copy of <paramref name="bytes"/> with <paramref name="patch"/> written at <paramref name="at"/>.</summary>
    private static byte[] With(byte[] bytes, int at, byte[] patch)
    {
        var copy = bytes.ToArray();
        if (at + patch.Length > copy.Length) Array.Resize(ref copy, at + patch.Length);
        patch.CopyTo(copy, at);
        return copy;
    }
}
