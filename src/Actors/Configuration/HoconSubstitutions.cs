namespace Actors.Configuration;

/// <summary>
/// The substitutions (<c>${path}</c>, <c>${?path}</c>) of one HOCON text, checked before Akka's
/// parser resolves them: it resolves them recursively, so a cycle (<c>a = ${b}</c>, <c>b = ${a}</c>),
/// a self-reference (<c>path = ${path}":more"</c>, which Akka's parser does not support) or a chain
/// longer than <see cref="HoconSyntax.MaxDepth"/> overflows the stack and kills the process.
/// </summary>
internal sealed class HoconSubstitutions
{
    private readonly List<(string Key, string Target, int Line)> _references = new();

    /// <summary>Key <paramref name="key"/> (a full path) refers to <paramref name="target"/> (a full path) on <paramref name="line"/>.</summary>
    public void Add(string key, string target, int line) => _references.Add((key, target, line));

    /// <summary>Returns null when every substitution resolves without a cycle and within the depth, else (line, reason).</summary>
    public (int Line, string Reason)? Check()
    {
        if (_references.Count == 0) return null;
        var keys = _references.Select(r => r.Key).Distinct().ToList();
        var index = keys.Select((key, i) => (key, i)).ToDictionary(p => p.key, p => p.i, StringComparer.Ordinal);
        // A key depends on every key with substitutions that its targets are, hold, or lie inside.
        var edges = keys.Select(_ => new List<int>()).ToArray();
        var firstLine = new int[keys.Count];
        Array.Fill(firstLine, int.MaxValue);
        var sorted = keys.Order(StringComparer.Ordinal).ToArray();
        foreach (var (key, target, line) in _references)
        {
            var from = index[key];
            firstLine[from] = Math.Min(firstLine[from], line);
            foreach (var related in Related(target, sorted, index)) edges[from].Add(index[related]);
        }

        // Depth-first, without recursion (a long chain must not overflow this stack either).
        var state = new byte[keys.Count]; // 0 unseen, 1 on the path, 2 done
        var depth = new int[keys.Count];
        var parent = new int[keys.Count];
        for (var root = 0; root < keys.Count; root++)
        {
            if (state[root] != 0) continue;
            var stack = new Stack<(int Node, int Next)>();
            stack.Push((root, 0));
            state[root] = 1;
            parent[root] = -1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < edges[node].Count)
                {
                    stack.Push((node, next + 1));
                    var to = edges[node][next];
                    if (state[to] == 1) return Cycle(keys, parent, firstLine, node, to);
                    if (state[to] == 0)
                    {
                        state[to] = 1;
                        parent[to] = node;
                        stack.Push((to, 0));
                    }
                    continue;
                }
                state[node] = 2;
                depth[node] = 1 + edges[node].Select(to => depth[to]).DefaultIfEmpty(0).Max();
                if (depth[node] > HoconSyntax.MaxDepth)
                    return (firstLine[node], $"substitutions from '{keys[node]}' chain deeper than {HoconSyntax.MaxDepth} levels");
            }
        }
        return null;
    }

    /// <summary>The keys whose values resolving <paramref name="target"/> needs: the same path, one inside it, or one it lies inside.</summary>
    private static IEnumerable<string> Related(string target, string[] sorted, Dictionary<string, int> keys)
    {
        if (keys.ContainsKey(target)) yield return target;
        // Keys inside the target: a run of the sorted keys that start with "target.".
        var prefix = target + ".";
        var at = Array.BinarySearch(sorted, prefix, StringComparer.Ordinal);
        for (var i = at < 0 ? ~at : at; i < sorted.Length && sorted[i].StartsWith(prefix, StringComparison.Ordinal); i++) yield return sorted[i];
        // Keys the target lies inside: its own prefixes.
        for (var dot = target.IndexOf('.'); dot > 0; dot = target.IndexOf('.', dot + 1))
        {
            if (keys.ContainsKey(target[..dot])) yield return target[..dot];
        }
    }

    private static (int Line, string Reason) Cycle(List<string> keys, int[] parent, int[] firstLine, int from, int to)
    {
        if (from == to)
            return (firstLine[from], $"'{keys[from]}' refers to itself through a substitution (Akka's parser resolves neither cycles nor self-references)");
        var path = new List<int> { to };
        for (var node = from; node != to && node >= 0; node = parent[node]) path.Insert(1, node);
        path.Add(to);
        var line = path.Min(node => firstLine[node]);
        return (line, $"substitution cycle: {string.Join(" -> ", path.Select(node => keys[node]))} (Akka's parser resolves neither cycles nor self-references)");
    }
}
