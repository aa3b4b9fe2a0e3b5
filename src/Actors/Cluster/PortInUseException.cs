using System.Net.Sockets;

namespace Actors.Cluster;

/// <summary>
/// A node could not listen because another process (another node, or any program) already listens
/// on its port. Cluster mode binds without <c>SO_REUSEADDR</c> (config/cluster.hocon:
/// <c>akka.remote.dot-netty.tcp.tcp-reuse-addr = off</c>): on Linux, .NET sets <c>SO_REUSEPORT</c>
/// along with it, and two nodes would then share one port, each receiving part of the connections.
/// </summary>
public sealed class PortInUseException : IOException
{
    /// <summary>Creates the error for <paramref name="host"/>:<paramref name="port"/>.</summary>
    public PortInUseException(string host, int port, Exception? inner = null)
        : base($"port {port} on {host} is in use: another node or program listens there. Stop it, or give this node another --port (0 takes a free one).", inner)
    {
        Host = host;
        Port = port;
    }

    /// <summary>The interface the node was to bind.</summary>
    public string Host { get; }

    /// <summary>The port that was taken.</summary>
    public int Port { get; }

    /// <summary>Whether <paramref name="error"/>, or an exception inside it, is a bind refused because the address is in use.</summary>
    public static bool IsAddressInUse(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse)) return true;
        }
        return false;
    }
}
