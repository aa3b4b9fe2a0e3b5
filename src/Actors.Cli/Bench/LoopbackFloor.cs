using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Actors.Security;

namespace Actors.Cli.Bench;

/// <summary>
/// The physical floor under the process pool: loopback TCP as a competent developer writes it by
/// hand, with no actor, no serializer and no retries. A "worker" is a thread of this process that
/// owns one connection and squares whatever longs it is sent (threads, not processes: loopback TCP
/// costs the same either way, and both sides share the same two cores as the pool's processes
/// do). Plain sockets, or <see cref="SslStream"/> with an ECDSA P-256 certificate pinned by the
/// client, as the pool's own TLS. Connections are made once; a run only moves data.
/// </summary>
public sealed class LoopbackFloor : IDisposable
{
    /// <summary>Bytes per block of the bulk run: 64 KiB, the pool's automatic chunk.</summary>
    private const int BlockBytes = 64 * 1024;

    private readonly List<(Stream Client, Thread Server)> _connections = new();
    private readonly List<IDisposable> _owned = new();

    private LoopbackFloor(bool tls) => Tls = tls;

    public bool Tls { get; }

    /// <summary>Connects <paramref name="workers"/> server threads, over TLS when <paramref name="tls"/>.</summary>
    public static async Task<LoopbackFloor> StartAsync(int workers, bool tls, CancellationToken ct)
    {
        var floor = new LoopbackFloor(tls);
        var certificate = tls ? CertificateFactory.CreateSelfSigned("loopback-floor", TimeSpan.FromDays(1)) : null;
        if (certificate is not null) floor._owned.Add(certificate);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        for (var i = 0; i < workers; i++)
        {
            var client = new TcpClient { NoDelay = true };
            floor._owned.Add(client);
            var accepting = listener.AcceptTcpClientAsync(ct).AsTask();
            await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, ct).ConfigureAwait(false);
            var accepted = await accepting.ConfigureAwait(false);
            accepted.NoDelay = true;
            floor._owned.Add(accepted);
            Stream serverSide = accepted.GetStream(), clientSide = client.GetStream();
            if (certificate is not null)
            {
                var server = new SslStream(serverSide);
                var pinned = certificate.GetCertHash();
                var secured = new SslStream(clientSide, false, (_, presented, _, _) => presented is not null && presented.GetCertHash().AsSpan().SequenceEqual(pinned));
                await Task.WhenAll(
                    server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12 }, ct),
                    secured.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "loopback-floor" }, ct)).ConfigureAwait(false);
                floor._owned.Add(server);
                floor._owned.Add(secured);
                (serverSide, clientSide) = (server, secured);
            }
            var thread = new Thread(() => Serve(serverSide)) { IsBackground = true, Name = $"loopback-floor-{i}" };
            thread.Start();
            floor._connections.Add((clientSide, thread));
        }
        return floor;
    }

    /// <summary>
    /// Squares <paramref name="inputs"/> over the connections, each taking an equal share in blocks
    /// of 64 KiB, writing and reading at once (a writer thread and a reader per connection): the
    /// same bytes a map of them moves, both ways.
    /// </summary>
    public double Bulk(long[] inputs, long[] outputs)
    {
        var started = Stopwatch.GetTimestamp();
        var share = (inputs.Length + _connections.Count - 1) / _connections.Count;
        Parallel.For(0, _connections.Count, new ParallelOptions { MaxDegreeOfParallelism = _connections.Count }, c =>
        {
            var from = Math.Min(inputs.Length, c * share);
            var to = Math.Min(inputs.Length, from + share);
            var stream = _connections[c].Client;
            var writer = Task.Factory.StartNew(() => WriteBlocks(stream, inputs.AsSpan(from, to - from)), TaskCreationOptions.LongRunning);
            var received = MemoryMarshal.AsBytes(outputs.AsSpan(from, to - from));
            stream.ReadExactly(received);
            writer.GetAwaiter().GetResult();
        });
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// One small request and its answer at a time per connection: each input goes out as a message
    /// of its own (an 8-byte long behind a 4-byte length) and its square comes back before the next
    /// is sent; the connections share the inputs.
    /// </summary>
    public double RequestResponse(long[] inputs, long[] outputs)
    {
        var started = Stopwatch.GetTimestamp();
        Parallel.For(0, _connections.Count, new ParallelOptions { MaxDegreeOfParallelism = _connections.Count }, c =>
        {
            var stream = _connections[c].Client;
            Span<byte> request = stackalloc byte[12];
            Span<byte> answer = stackalloc byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(request, 8);
            for (var i = c; i < inputs.Length; i += _connections.Count)
            {
                BinaryPrimitives.WriteInt64LittleEndian(request[4..], inputs[i]);
                stream.Write(request);
                stream.ReadExactly(answer);
                outputs[i] = BinaryPrimitives.ReadInt64LittleEndian(answer);
            }
        });
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static void WriteBlocks(Stream stream, ReadOnlySpan<long> inputs)
    {
        var bytes = MemoryMarshal.AsBytes(inputs);
        // Length and block in one write: one segment, or one TLS record, per block.
        var message = new byte[4 + BlockBytes];
        for (var at = 0; at < bytes.Length; at += BlockBytes)
        {
            var block = bytes.Slice(at, Math.Min(BlockBytes, bytes.Length - at));
            BinaryPrimitives.WriteInt32LittleEndian(message, block.Length);
            block.CopyTo(message.AsSpan(4));
            stream.Write(message, 0, 4 + block.Length);
        }
        stream.Flush();
    }

    /// <summary>A worker: reads a length and that many bytes of longs, squares them in place, writes them back; until the connection closes.</summary>
    private static void Serve(Stream stream)
    {
        var buffer = new byte[BlockBytes];
        var header = new byte[4];
        try
        {
            while (true)
            {
                stream.ReadExactly(header);
                var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                if (length is < 0 or > BlockBytes || length % 8 != 0) return;
                var block = buffer.AsSpan(0, length);
                stream.ReadExactly(block);
                var longs = MemoryMarshal.Cast<byte, long>(block);
                for (var i = 0; i < longs.Length; i++) longs[i] = checked(longs[i] * longs[i]);
                stream.Write(block);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or EndOfStreamException)
        {
            // The client closed the connection: the floor is disposed.
        }
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned)) owned.Dispose();
        foreach (var (_, server) in _connections) server.Join(TimeSpan.FromSeconds(5));
    }
}
