using System.Globalization;
using System.Text.Json;

namespace SupplierAssure.Core.QuestionBank;

/// <summary>
/// Maps JSON paths ("$.questions[3].weight") to the 1-based line they start on, so validation problems found after
/// deserialising can still point a person at the line to fix. System.Text.Json's DOM keeps no positions, so the
/// file is walked once with <see cref="Utf8JsonReader"/>.
/// </summary>
internal sealed class JsonLineIndex
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="JsonException"/> (with its line) when the bytes are not well-formed JSON.</summary>
    public static JsonLineIndex Build(ReadOnlySpan<byte> json, JsonReaderOptions options)
    {
        var index = new JsonLineIndex();
        var reader = new Utf8JsonReader(json, options);
        var frames = new List<(bool IsArray, string Path, int Next)>();
        string? pendingProperty = null;
        var line = 1;
        var counted = 0;

        while (reader.Read())
        {
            var start = (int)reader.TokenStartIndex;
            line += json[counted..start].Count((byte)'\n');
            counted = start;

            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                pendingProperty = frames[^1].Path + "." + reader.GetString();
                index._lines.TryAdd(pendingProperty, line);
                continue;
            }

            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                frames.RemoveAt(frames.Count - 1);
                continue;
            }

            string path;
            if (frames.Count == 0)
            {
                path = "$";
            }
            else if (frames[^1].IsArray)
            {
                var parent = frames[^1];
                path = string.Create(CultureInfo.InvariantCulture, $"{parent.Path}[{parent.Next}]");
                frames[^1] = parent with { Next = parent.Next + 1 };
            }
            else
            {
                path = pendingProperty ?? "$";
            }

            index._lines.TryAdd(path, line);
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                frames.Add((reader.TokenType == JsonTokenType.StartArray, path, 0));
            }
        }

        return index;
    }

    /// <summary>The line of <paramref name="path"/>, or of its nearest ancestor when the field is absent.</summary>
    public int LineOf(string path)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (_lines.TryGetValue(p, out var line))
            {
                return line;
            }
        }

        return 1;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? string.Empty : path[..cut];
    }
}
