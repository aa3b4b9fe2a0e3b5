using Actors.Pool.Placement;
using System.Text.RegularExpressions;
using Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.Options;

namespace Actors.Hosting;

/// <summary>
/// Checks <see cref="ActorsOptions"/> when the host starts, by the rules the settings readers apply
/// to HOCON: each broken rule is reported under its configuration path and its HOCON key, e.g.
/// <c>Actors:Pools:jobs:ChunkSize: actors.pool.chunk-size = -1: must be 0 (automatic) or more</c>.
/// </summary>
internal sealed partial class ActorsOptionsValidator(string sectionPath) : IValidateOptions<ActorsOptions>
{
    private static readonly string[] LogLevels = ["Debug", "Info", "Warning", "Error"];

    public ValidateOptionsResult Validate(string? name, ActorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var config = ModeConfig(options, errors);
        if (options.AkkaLogLevel is { } level && !LogLevels.Contains(level, StringComparer.OrdinalIgnoreCase))
            errors.Add($"{sectionPath}:AkkaLogLevel = {level}: must be one of {string.Join(", ", LogLevels)} (it becomes akka.loglevel).");
        CheckDefault(options.DefaultPool, options.Pools.Keys, "DefaultPool", "Pools", errors);
        CheckDefault(options.DefaultBuffer, options.Buffers.Keys, "DefaultBuffer", "Buffers", errors);
        foreach (var (pool, poolOptions) in options.Pools) CheckPool(pool, poolOptions, options, config, errors);
        foreach (var (buffer, bufferOptions) in options.Buffers)
        {
            CheckName(buffer, "Buffers", errors);
            if (bufferOptions.ItemType is null)
                errors.Add($"{sectionPath}:Buffers:{buffer}: no item type: declare the buffer in code with AddBoundedBuffer<T>(\"{buffer}\"), configuration sets only its options.");
            if (config is null) continue;
            try
            {
                bufferOptions.Settings(config);
            }
            catch (Exception e) when (e is ArgumentException or ConfigException)
            {
                errors.Add(Explain($"Buffers:{buffer}", e));
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private Config? ModeConfig(ActorsOptions options, List<string> errors)
    {
        try
        {
            return ActorsConfig.ForMode(options.Mode, options.ConfigDirectory);
        }
        catch (Exception e) when (e is ConfigException or ArgumentException)
        {
            errors.Add($"{sectionPath}:Mode = {options.Mode}: {e.Message} The mode files (config/*.hocon) come with the Actors.Cli project: reference it, or set {sectionPath}:ConfigDirectory.");
            return null;
        }
    }

    private void CheckPool(string pool, ActorsPoolOptions options, ActorsOptions all, Config? config, List<string> errors)
    {
        CheckName(pool, "Pools", errors);
        if (all.Buffers.ContainsKey(pool))
            errors.Add($"{sectionPath}: '{pool}' names both a pool and a buffer; each is an actor of that name, so the names must differ.");
        if (HostedPools.RouterKind(options.Router) is null)
            errors.Add($"{sectionPath}:Pools:{pool}:Router = {options.Router}: must be round-robin or smallest-mailbox.");
        if (options.Routees is < 1)
            errors.Add($"{sectionPath}:Pools:{pool}:Routees = {options.Routees}: must be at least 1.");
        if (config is null) return;
        try
        {
            var settings = HostedPools.Settings(options, config);
            var mode = settings.Mode;
            var placement = WorkerPlacements.Named(mode, config);
            placement.CheckSettings(settings);
            if (HostedPools.MissingProvider(placement.RequiredProvider, config.GetString("akka.actor.provider", "local")))
                errors.Add($"{sectionPath}:Pools:{pool}:Mode = {mode}: needs akka.actor.provider = {placement.RequiredProvider}, which mode '{all.Mode}' does not set; set {sectionPath}:Mode = {mode}.");
        }
        catch (ConfigException e)
        {
            errors.Add(Explain($"Pools:{pool}", e));
        }
    }

    private void CheckDefault(string? chosen, IReadOnlyCollection<string> names, string key, string section, List<string> errors)
    {
        if (chosen is not null && !names.Contains(chosen))
            errors.Add($"{sectionPath}:{key} = {chosen}: there is no such entry under {sectionPath}:{section} ({string.Join(", ", names)}).");
    }

    private void CheckName(string name, string section, List<string> errors)
    {
        if (!ActorPath.IsValidPathElement(name))
            errors.Add($"{sectionPath}:{section}:{name}: not a valid actor name (letters, digits and -_.*$+:@&=,!~';, not starting with $).");
    }

    /// <summary>A settings error under the option's path, e.g. <c>Actors:Pools:jobs:Processes:Count: actors.pool.processes.count = 99: …</c>.</summary>
    private string Explain(string entry, Exception error)
    {
        var message = error.Message.Split(" (Parameter '")[0].Split('\n')[0].TrimEnd();
        var key = KeyPattern().Match(message);
        if (!key.Success) return $"{sectionPath}:{entry}: {message}";
        var property = string.Join(':', key.Groups[1].Value.Split('.').Select(part =>
            string.Concat(part.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]))));
        return $"{sectionPath}:{entry}:{property}: {message}";
    }

    [GeneratedRegex(@"^actors\.(?:pool|buffer)\.([a-z0-9.-]+?)(?: = | is missing)")]
    private static partial Regex KeyPattern();
}
