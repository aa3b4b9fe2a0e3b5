using Actors.Protocol;

namespace Actors.Tests.Protocol;

/// <summary>The worker host's command line: what a pool writes, the library's host reads back.</summary>
public sealed class WorkerHostArgumentsSpecs
{
    [Fact]
    public void Arguments_must_read_back_as_they_were_written()
    {
        var written = new WorkerHostArguments
        {
            Hostname = "::1",
            Port = 9001,
            ParentPid = 4242,
            Assemblies = ["/app/App.dll", "/app/Jobs.dll"],
            Workers = 3,
            Mode = "processes",
            ConfigFile = "/etc/actors.conf",
            Overrides = ["a = 1", "b = \"two words\""],
        };

        var read = WorkerHostArguments.Parse(written.ToArguments().ToList());

        Assert.Equal(written.ToArguments(), read.ToArguments());
        Assert.Equal(written.Assemblies, read.Assemblies);
        Assert.Equal(written.Overrides, read.Overrides);
    }

    [Theory]
    [InlineData(new[] { "node", "--role", "seed" }, "starts with 'node --role worker'")]
    [InlineData(new[] { "node", "--role", "worker", "--port" }, "--port needs a value")]
    [InlineData(new[] { "node", "--role", "worker", "--port", "70000" }, "--port must be a number in 0..65535")]
    [InlineData(new[] { "node", "--role", "worker", "--workers", "0" }, "--workers must be a number in 1..1024")]
    [InlineData(new[] { "node", "--role", "worker", "--seeds", "x" }, "unknown option '--seeds'")]
    public void A_command_line_that_is_not_a_worker_hosts_must_be_refused_saying_why(string[] arguments, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => WorkerHostArguments.Parse(arguments));

        Assert.Contains(reason, error.Message);
    }
}
