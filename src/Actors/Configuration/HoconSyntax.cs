namespace Actors.Configuration;

/// <summary>
/// A structural check of HOCON text, run before Akka's parser sees it. Akka's built-in parser is
/// lenient: it accepts unclosed braces and strings, and can loop forever on an unclosed array,
/// so every malformed file must be caught here, with its line. It is also recursive: nesting
/// deeper than <see cref="MaxDepth"/> and substitution cycles (<see cref="HoconSubstitutions"/>)
/// are refused here, since in Akka's parser they overflow the stack, which no catch survives.
/// </summary>
internal static class HoconSyntax
{
    /// <summary>
    /// The deepest nesting a text may have: objects, arrays and the segments of a dotted key each
    /// count a level, and so does each link of a chain of substitutions. Akka's parser overflows the
    /// stack somewhere past a few thousand; real configurations stay under ten.
    /// </summary>
    public const int MaxDepth = 100;

    private enum Expect { Key, Separator, Value, AfterValue }

    /// <param name="Levels">The nesting levels it adds: its key's segments (at least one).</param>
    /// <param name="Segments">The path segments it adds to the current path (its key's).</param>
    private readonly record struct Frame(char Open, int Line, bool IsObject, int Levels, int Segments);

    /// <summary>
    /// <paramref name="text"/> as a HOCON quoted string (a JSON string: any text survives), written
    /// without System.Text.Json, whose first use cost a worker host's start-up about 20 ms of CPU.
    /// </summary>
    public static string Quote(string text)
    {
        var quoted = new System.Text.StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                case < ' ': quoted.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: quoted.Append(c); break;
            }
        }
        return quoted.Append('"').ToString();
    }

    /// <summary>Returns null when <paramref name="text"/> is well-formed, else (line, reason).</summary>
    public static (int Line, string Reason)? Check(string text)
    {
        var stack = new Stack<Frame>();
        var expect = Expect.Key;
        var line = 1;
        var key = "";
        var i = 0;
        var path = new List<string>(); // the full path of the object or array being read
        var depth = 0;
        var substitutions = new HoconSubstitutions();

        // Opens an object or array under the current key (none for a root object or an array's element).
        (int Line, string Reason)? Open(char open, bool isObject, bool underKey)
        {
            var segments = underKey ? Segments(key) : [];
            var levels = Math.Max(1, segments.Count);
            if (depth + levels > MaxDepth) return (line, $"nested deeper than {MaxDepth} levels (objects, arrays and dotted keys each count one)");
            depth += levels;
            path.AddRange(segments);
            stack.Push(new Frame(open, line, isObject, levels, segments.Count));
            return null;
        }

        void Close()
        {
            var frame = stack.Pop();
            depth -= frame.Levels;
            path.RemoveRange(path.Count - frame.Segments, frame.Segments);
        }

        bool InObject() => stack.Count == 0 || stack.Peek().IsObject;
        Expect AfterElementEnd() => InObject() ? Expect.Key : Expect.Value;

        while (i < text.Length)
        {
            var c = text[i];

            if (c == '\n')
            {
                if (expect == Expect.Separator) return (line, $"expected '=', ':' or '{{' after key '{key}'");
                if (expect == Expect.Value && InObject()) return (line, $"missing value for key '{key}'");
                if (expect == Expect.AfterValue) expect = AfterElementEnd();
                line++; i++;
                continue;
            }
            if (char.IsWhiteSpace(c) || c == '\uFEFF') { i++; continue; }
            if (c == '#' || (c == '/' && At(text, i + 1) == '/'))
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }

            switch (c)
            {
                case '{':
                    var root = false;
                    if (expect is Expect.Key && stack.Count == 0 && IsOnlyWhitespaceBefore(text, i)) root = true; // a root object
                    else if (expect is Expect.Key) return (line, "unexpected '{' where a key was expected");
                    if (Open('{', isObject: true, underKey: !root && InObject()) is { } tooDeep) return tooDeep;
                    expect = Expect.Key;
                    i++;
                    continue;
                case '[':
                    if (expect == Expect.Separator) return (line, $"expected '=' or ':' before '[' after key '{key}'");
                    if (expect == Expect.Key) return (line, "unexpected '[' where a key was expected");
                    if (Open('[', isObject: false, underKey: InObject()) is { } nested) return nested;
                    expect = Expect.Value;
                    i++;
                    continue;
                case '}':
                case ']':
                {
                    var open = c == '}' ? '{' : '[';
                    if (stack.Count == 0) return (line, $"unexpected '{c}' with nothing open");
                    var top = stack.Peek();
                    if (top.Open != open) return (line, $"'{c}' closes '{top.Open}' opened at line {top.Line}");
                    if (expect == Expect.Separator) return (line, $"expected '=', ':' or '{{' after key '{key}'");
                    if (expect == Expect.Value && top.IsObject) return (line, $"missing value for key '{key}'");
                    Close();
                    expect = Expect.AfterValue;
                    i++;
                    continue;
                }
                case ',':
                    if (expect == Expect.Separator) return (line, $"expected '=' or ':' after key '{key}'");
                    if (expect == Expect.Value && InObject()) return (line, $"missing value for key '{key}'");
                    expect = AfterElementEnd();
                    i++;
                    continue;
                case '=' or ':':
                    if (expect != Expect.Separator) return (line, $"unexpected '{c}'");
                    expect = Expect.Value;
                    i++;
                    continue;
                case '+' when At(text, i + 1) == '=':
                    if (expect != Expect.Separator) return (line, "unexpected '+='");
                    expect = Expect.Value;
                    i += 2;
                    continue;
            }

            // A token: a quoted string, a substitution or unquoted text.
            var start = i;
            var tokenLine = line;
            if (text.AsSpan(i).StartsWith("\"\"\""))
            {
                var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                if (end < 0) return (tokenLine, "unterminated \"\"\" string");
                line += text.AsSpan(i, end - i).Count('\n');
                i = end + 3;
            }
            else if (c == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"' && text[i] != '\n') i += text[i] == '\\' ? 2 : 1;
                if (i >= text.Length || text[i] != '"') return (tokenLine, "unterminated string");
                i++;
            }
            else if (c == '$' && At(text, i + 1) == '{')
            {
                var end = text.IndexOf('}', i);
                var newline = text.IndexOf('\n', i);
                if (end < 0 || (newline >= 0 && newline < end)) return (tokenLine, "unterminated substitution '${'");
                i = end + 1;
            }
            else
            {
                while (i < text.Length && !IsTokenEnd(text, i)) i++;
                if (i == start) return (line, $"unexpected character '{c}'");
            }

            var token = text[start..i];
            switch (expect)
            {
                case Expect.Key:
                    // Akka's parser has no file resolver for includes (it fails with a NullReferenceException).
                    if (token == "include") return (tokenLine, "'include' is not supported: compose files with config/MODE.hocon, --config FILE or overrides");
                    if (token.StartsWith("${", StringComparison.Ordinal)) return (tokenLine, $"a substitution '{token}' cannot be a key");
                    key = token.Trim();
                    if (depth + Segments(key).Count > MaxDepth)
                        return (tokenLine, $"nested deeper than {MaxDepth} levels (objects, arrays and dotted keys each count one)");
                    expect = Expect.Separator;
                    break;
                case Expect.Separator:
                    // "a b = 1" is not valid, but a dotted or quoted key split by spaces is rare; be strict.
                    return (tokenLine, $"expected '=', ':' or '{{' after key '{key}', found '{token}'");
                default:
                    if (token.StartsWith("${", StringComparison.Ordinal))
                    {
                        var owner = string.Join('.', InObject() ? path.Concat(Segments(key)) : path);
                        substitutions.Add(owner, string.Join('.', Segments(token[2..^1].TrimStart('?'))), tokenLine);
                    }
                    expect = Expect.AfterValue; // values may be concatenated on one line
                    break;
            }
        }

        if (expect == Expect.Separator) return (line, $"expected '=', ':' or '{{' after key '{key}'");
        if (expect == Expect.Value && InObject() && key.Length > 0) return (line, $"missing value for key '{key}'");
        if (stack.Count > 0)
        {
            var open = stack.Peek();
            return (open.Line, $"'{open.Open}' opened here is never closed");
        }
        return substitutions.Check();
    }

    /// <summary>The segments of a key or substitution path: split at dots outside quotes, quotes removed.</summary>
    private static List<string> Segments(string path)
    {
        var segments = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in path.Trim())
        {
            if (c == '"') quoted = !quoted;
            else if (c == '.' && !quoted)
            {
                segments.Add(current.ToString().Trim());
                current.Clear();
            }
            else current.Append(c);
        }
        segments.Add(current.ToString().Trim());
        return segments;
    }

    private static char At(string text, int i) => i < text.Length ? text[i] : '\0';

    private static bool IsOnlyWhitespaceBefore(string text, int i)
    {
        for (var j = 0; j < i; j++)
        {
            if (text[j] == '#' || (text[j] == '/' && At(text, j + 1) == '/'))
            {
                while (j < i && text[j] != '\n') j++;
                continue;
            }
            if (!char.IsWhiteSpace(text[j]) && text[j] != '\uFEFF') return false;
        }
        return true;
    }

    private static bool IsTokenEnd(string text, int i)
    {
        var c = text[i];
        return c is '\n' or ',' or '{' or '}' or '[' or ']' or '=' or ':' or '#' or '"'
            || (c == '/' && At(text, i + 1) == '/')
            || (c == '$' && At(text, i + 1) == '{')
            || (c == '+' && At(text, i + 1) == '=')
            || char.IsWhiteSpace(c) && IsSpaceBeforeSeparatorOrEnd(text, i);
    }

    // Unquoted values keep inner spaces ("a = hello world"); a space only ends a token when what
    // follows is a separator, a bracket, a comment or the end of the line.
    private static bool IsSpaceBeforeSeparatorOrEnd(string text, int i)
    {
        var j = i;
        while (j < text.Length && text[j] is ' ' or '\t' or '\r') j++;
        if (j >= text.Length) return true;
        var c = text[j];
        return c is '\n' or ',' or '{' or '}' or '[' or ']' or '=' or ':' or '#' or '"'
            || (c == '/' && At(text, j + 1) == '/')
            || (c == '$' && At(text, j + 1) == '{')
            || (c == '+' && At(text, j + 1) == '=');
    }
}
