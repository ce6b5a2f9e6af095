using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplierAssure.Workflows.Persistence;

/// <summary>
/// The System.Text.Json settings every workflow payload is written and read with. There is deliberately no
/// type-name handling: the type to read into always comes from our side (the registered workflow definition, the
/// pointer document shape, or the <see cref="PersistedValueTypes"/> allow-list).
/// </summary>
internal sealed class WorkflowJson
{
    public WorkflowJson(PersistedValueTypes valueTypes)
    {
        ArgumentNullException.ThrowIfNull(valueTypes);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            // Enum names survive a reordering of enum members between releases; numbers would silently change meaning.
            Converters = { new JsonStringEnumConverter(), new TaggedObjectConverter(valueTypes) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        Options = options;
    }

    public JsonSerializerOptions Options { get; }

    public string? SerializeData(object? data) =>
        data is null ? null : JsonSerializer.Serialize(data, data.GetType(), Options);

    public object? DeserializeData(string? json, Type? dataType)
    {
        if (json is null)
        {
            return null;
        }

        if (dataType is null)
        {
            // Without the definition there is no safe type to read into; keep the document as it is.
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }

        return JsonSerializer.Deserialize(json, dataType, Options);
    }

    /// <summary>Writes an <c>object</c>-typed value with its allow-listed kind (see <see cref="TaggedObjectConverter"/>).</summary>
    public string? SerializeValue(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, typeof(object), Options);

    public object? DeserializeValue(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, typeof(object), Options);
}

/// <summary>
/// Stores an <c>object</c>-typed value as <c>{"kind": "...", "value": ...}</c>. Allow-listed types round-trip as
/// themselves; everything else is written as plain JSON under the kind "json" and read back as a
/// <see cref="JsonElement"/> (documented in docs/workflows.md).
/// </summary>
internal sealed class TaggedObjectConverter(PersistedValueTypes valueTypes) : JsonConverter<object>
{
    private const string KindProperty = "kind";
    private const string ValueProperty = "value";

    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(object);

    public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        var type = value.GetType();
        writer.WriteStartObject();
        if (value is JsonElement element)
        {
            writer.WriteString(KindProperty, PersistedValueTypes.JsonKind);
            writer.WritePropertyName(ValueProperty);
            element.WriteTo(writer);
        }
        else
        {
            writer.WriteString(KindProperty, valueTypes.TryGetKind(type, out var kind) ? kind : PersistedValueTypes.JsonKind);
            writer.WritePropertyName(ValueProperty);
            if (type == typeof(object))
            {
                // A bare object has no members; serialising it "as object" again would come straight back here.
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                JsonSerializer.Serialize(writer, value, type, options);
            }
        }

        writer.WriteEndObject();
    }

    public override object? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty(KindProperty, out var kindElement)
            || kindElement.ValueKind != JsonValueKind.String
            || !root.TryGetProperty(ValueProperty, out var value))
        {
            throw new JsonException("A stored workflow value must be an object with a 'kind' and a 'value'.");
        }

        var kind = kindElement.GetString()!;
        if (kind == PersistedValueTypes.JsonKind)
        {
            return value.Clone();
        }

        if (!valueTypes.TryGetType(kind, out var type))
        {
            // Failing loudly beats guessing: a silently different type would change what a workflow decides.
            throw new JsonException($"The stored workflow value kind '{kind}' is not registered in {nameof(PersistedValueTypes)}.");
        }

        return value.Deserialize(type, options);
    }
}
