using System.Text.Json;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Persistence;

/// <summary>
/// The allow-list of CLR types that an <c>object</c>-typed workflow value (execution pointer persistence data,
/// outcomes, context items, extension attributes, event and subscription data) may be read back as.
/// Each type is stored under a short kind name of ours, never under its CLR or assembly name.
/// </summary>
/// <remarks>
/// Anything not on the list is still persisted, under the kind "json", and comes back as a <see cref="JsonElement"/>.
/// Register further types (for example an event payload record) with
/// <c>services.Configure&lt;PersistedValueTypes&gt;(t =&gt; t.Register&lt;MyEvent&gt;("my-event"))</c>.
/// </remarks>
// Note: reading a stored value can only ever produce a type that this process registered by hand, so a row that
// someone tampered with cannot make the engine instantiate an arbitrary type (the classic type-name gadget attack).
public sealed class PersistedValueTypes
{
    /// <summary>The kind of values kept as raw JSON and read back as <see cref="JsonElement"/>.</summary>
    public const string JsonKind = "json";

    private readonly Dictionary<string, Type> _typesByKind = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _kindsByType = [];

    public PersistedValueTypes()
    {
        Register<string>("string");
        Register<bool>("bool");
        Register<int>("int32");
        Register<long>("int64");
        Register<double>("double");
        Register<decimal>("decimal");
        Register<Guid>("guid");
        Register<DateTime>("datetime");
        Register<DateTimeOffset>("datetimeoffset");
        Register<TimeSpan>("timespan");

        // WorkflowCore's own control-flow primitives (If, While, Foreach, Schedule, Recur, activities) test the
        // runtime type of these on the next execution, so they must come back as themselves, not as JSON.
        Register<ControlPersistenceData>("wfc.control");
        Register<IteratorPersistenceData>("wfc.iterator");
        Register<SchedulePersistenceData>("wfc.schedule");
        Register<ActivityResult>("wfc.activity-result");
    }

    /// <summary>Allows values of exactly <typeparamref name="T"/> to round-trip under <paramref name="kind"/>.</summary>
    public PersistedValueTypes Register<T>(string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        if (kind == JsonKind)
        {
            throw new ArgumentException($"'{JsonKind}' is reserved for values stored as raw JSON.", nameof(kind));
        }

        if (_typesByKind.TryGetValue(kind, out var existing) && existing != typeof(T))
        {
            throw new ArgumentException($"The kind '{kind}' is already registered for another type.", nameof(kind));
        }

        if (_kindsByType.TryGetValue(typeof(T), out var existingKind) && existingKind != kind)
        {
            throw new ArgumentException($"The type is already registered under the kind '{existingKind}'.", nameof(kind));
        }

        _typesByKind[kind] = typeof(T);
        _kindsByType[typeof(T)] = kind;
        return this;
    }

    internal bool TryGetKind(Type type, out string kind) => _kindsByType.TryGetValue(type, out kind!);

    internal bool TryGetType(string kind, out Type type) => _typesByKind.TryGetValue(kind, out type!);
}
