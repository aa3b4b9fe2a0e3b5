namespace Actors.Configuration;

/// <summary>
/// A structural check of HOCON text, run before Akka's parser sees it. Akka's built-in parser is
/// lenient: it accepts unclosed braces and strings, and can loop forever on an unclosed array,
/// so every malformed file must be caught here, with its line.
/// </summary>
internal static class HoconSyntax
{
    private enum Expect { Key, Separator, Value, AfterValue }

    private readonly record struct Frame(char Open, int Line, bool IsObject);

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
                    if (expect is Expect.Key && stack.Count == 0 && IsOnlyWhitespaceBefore(text, i)) { } // a root object
                    else if (expect is Expect.Key) return (line, "unexpected '{' where a key was expected");
                    stack.Push(new Frame('{', line, true));
                    expect = Expect.Key;
                    i++;
                    continue;
                case '[':
                    if (expect == Expect.Separator) return (line, $"expected '=' or ':' before '[' after key '{key}'");
                    if (expect == Expect.Key) return (line, "unexpected '[' where a key was expected");
                    stack.Push(new Frame('[', line, false));
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
                    stack.Pop();
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
                    expect = Expect.Separator;
                    break;
                case Expect.Separator:
                    // "a b = 1" is not valid, but a dotted or quoted key split by spaces is rare; be strict.
                    return (tokenLine, $"expected '=', ':' or '{{' after key '{key}', found '{token}'");
                default:
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
        return null;
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
