using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Actors.Serialization;

/// <summary>
/// Whether values of a type cross the wire unchanged: what <see cref="PayloadCodec"/> writes
/// (primitives, strings and System.Text.Json for the rest) must read back as the same value. A type
/// that would arrive changed (a property that cannot be set again, an interface whose concrete type
/// is not carried) is refused with the reason before any of its values is sent.
/// </summary>
internal static class WireShape
{
    private static readonly HashSet<Type> Plain =
    [
        typeof(bool), typeof(byte), typeof(sbyte), typeof(char), typeof(short), typeof(ushort), typeof(int), typeof(uint),
        typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal), typeof(string), typeof(Guid),
        typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(DateOnly), typeof(TimeOnly), typeof(Uri),
    ];

    /// <summary>Why values of <paramref name="type"/> would not round-trip, or null when they do.</summary>
    public static string? Problem(Type type) => Problem(type, []);

    private static string? Problem(Type type, HashSet<Type> seen)
    {
        if (Plain.Contains(type) || type.IsEnum) return null;
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Problem(underlying, seen);
        if (type.IsArray) return type.GetArrayRank() == 1 ? Problem(type.GetElementType()!, seen) : $"{Name(type)} has more than one dimension";
        if (!seen.Add(type)) return null; // a type that holds itself, deeper down: checked once
        if (type == typeof(object)) return "object says nothing of what it holds: the wire carries values, not their types";
        if (typeof(Delegate).IsAssignableFrom(type) || typeof(Type).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type) || type.IsPointer)
            return $"{Name(type)} is not data";
        if (ElementOfCollection(type) is { } element) return Problem(element, seen);
        if (type.IsInterface || type.IsAbstract)
            return $"{Name(type)} is {(type.IsInterface ? "an interface" : "abstract")}: the wire carries values, not their concrete types";
        if (IsValueTuple(type)) return type.GetGenericArguments().Select(item => Problem(item, seen)).FirstOrDefault(problem => problem is not null);
        return ObjectProblem(type, seen);
    }

    /// <summary>An object round-trips when each of its public members can be set again, by a setter or its constructor.</summary>
    private static string? ObjectProblem(Type type, HashSet<Type> seen)
    {
        var constructors = type.GetConstructors();
        var parameterless = type.IsValueType || constructors.Any(c => c.GetParameters().Length == 0);
        var parameters = parameterless ? [] : constructors.Length == 1
            ? constructors[0].GetParameters().Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : null;
        if (parameters is null) return $"{Name(type)} has several constructors and none without parameters: it could not be built again";
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0))
        {
            // A property computed from others is written but need not be read back: only a stored one (an auto-property) must be.
            var stored = type.GetField($"<{property.Name}>k__BackingField", BindingFlags.NonPublic | BindingFlags.Instance) is not null;
            if (stored && property.SetMethod is not { IsPublic: true } && !parameters.Contains(property.Name))
                return $"{Name(type)}.{property.Name} has no setter and no constructor parameter: it would arrive as its default";
            if (Problem(property.PropertyType, seen) is { } problem) return $"{Name(type)}.{property.Name}: {problem}";
        }
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (field.IsInitOnly && !parameters.Contains(field.Name))
                return $"{Name(type)}.{field.Name} is read-only and no constructor parameter: it would arrive as its default";
            if (Problem(field.FieldType, seen) is { } problem) return $"{Name(type)}.{field.Name}: {problem}";
        }
        return null;
    }

    /// <summary>The element type of a list, set or dictionary (its values; keys must be plain), else null.</summary>
    private static Type? ElementOfCollection(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) && !type.IsInterface) return null;
        var generic = type.IsGenericType ? type : null;
        if (generic is null) return null;
        var definition = generic.GetGenericTypeDefinition();
        var arguments = generic.GetGenericArguments();
        if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(ICollection<>)
            || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>) || definition == typeof(HashSet<>) || definition == typeof(ISet<>))
            return arguments[0];
        if (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            return Plain.Contains(arguments[0]) || arguments[0].IsEnum ? arguments[1] : typeof(object);
        return null;
    }

    private static bool IsValueTuple(Type type) => type.IsValueType && type.IsGenericType && typeof(ITuple).IsAssignableFrom(type);

    private static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
        : type.Name;
}
