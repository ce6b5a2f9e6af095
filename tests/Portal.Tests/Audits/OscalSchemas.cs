using System.Text.Json.Nodes;
using Json.Schema;

namespace SupplierAssure.Portal.Tests.Audits;

/// <summary>
/// The official OSCAL 1.0.6 JSON schemas, read from <c>../shared/reference/oscal/</c> beside the repository (never
/// copied into it). Null when that folder is absent, as on a user's own clone; the tests then report themselves skipped.
/// </summary>
internal static class OscalSchemas
{
    public const string Missing = "../shared/reference/oscal/ (the official OSCAL 1.0.6 schemas) is not present on this machine.";

    private static readonly Lazy<string?> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "oscal");
            if (File.Exists(Path.Combine(candidate, "oscal_poam_schema.json")))
            {
                return candidate;
            }
        }

        return null;
    });

    public static string? Directory => Folder.Value;

    /// <summary>The schema of one model: "assessment-plan", "assessment-results" or "poam".</summary>
    public static JsonSchema Load(string model)
    {
        var folder = Folder.Value ?? throw new InvalidOperationException(Missing);
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, $"oscal_{model}_schema.json")))!;
        ResolveNamesToPointers(schema);
        return JsonSchema.FromText(schema.ToJsonString());
    }

    /// <summary>
    /// The OSCAL schemas name their definitions with plain-name <c>$id</c>s ("#field_oscal-metadata_version") and refer
    /// to them by that name, some of them beside a <c>$ref</c>, whose siblings draft-07 says to ignore; a strict
    /// validator then cannot resolve those names. In memory only (the files are read as they are), every reference to
    /// such a name becomes the JSON pointer of the definition that carries it, and the names are dropped: the same
    /// schemas, resolved by position instead of by name.
    /// </summary>
    private static void ResolveNamesToPointers(JsonNode schema)
    {
        var definitions = schema["definitions"]!.AsObject();
        var pointers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, definition) in definitions)
        {
            if (definition is JsonObject obj && obj["$id"] is JsonValue id && id.GetValue<string>() is { } name && name.StartsWith('#'))
            {
                pointers[name] = "#/definitions/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                obj.Remove("$id");
            }
        }

        Rewrite(schema, pointers);
    }

    private static void Rewrite(JsonNode? node, Dictionary<string, string> pointers)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && pointers.TryGetValue(reference.GetValue<string>(), out var pointer))
                {
                    obj["$ref"] = pointer;
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Rewrite(child, pointers);
                }

                break;
            case JsonArray array:
                foreach (var child in array.ToList())
                {
                    Rewrite(child, pointers);
                }

                break;
        }
    }

    /// <summary>The schema errors of <paramref name="document"/>, as "location: message" lines (empty when valid).</summary>
    public static IReadOnlyList<string> Errors(JsonSchema schema, JsonNode? document)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var result = schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid)
        {
            return [];
        }

        var errors = (result.Details ?? [])
            .Where(d => !d.IsValid && d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key} {e.Value}"))
            .ToList();
        return errors.Count > 0 ? errors : ["invalid (no details)"];
    }
}
