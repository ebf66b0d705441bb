using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;

namespace GuestStub.Tests.Architecture;

/// <summary>
/// Every type a type refers to: its base type and interfaces, generic constraints, fields,
/// method and property signatures, and every type, method and field token in its method bodies
/// (the IL, decoded with the operand sizes of <see cref="OpCodes"/>). Generic arguments, array,
/// pointer and by-ref element types count too. What the compiler emitted, not what the source
/// says: a reference hidden in a method body, a generic constraint or a nested type is found.
/// </summary>
public static class TypeReferences
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The types <paramref name="type"/> refers to, each with where the reference is.</summary>
    public static IEnumerable<(Type Referenced, string Where)> Of(Type type)
    {
        var found = new List<(Type, string)>();
        void Add(Type? t, string where)
        {
            foreach (Type u in Flatten(t))
                found.Add((u, where));
        }

        Add(type.BaseType, "base type");
        foreach (Type i in type.GetInterfaces())
            Add(i, "interface");
        if (type.IsGenericTypeDefinition)
            foreach (Type p in type.GetGenericArguments())
                foreach (Type c in p.GetGenericParameterConstraints())
                    Add(c, $"constraint on {p.Name}");
        foreach (FieldInfo f in type.GetFields(Everything))
            Add(f.FieldType, $"field {f.Name}");
        foreach (PropertyInfo p in type.GetProperties(Everything))
            Add(p.PropertyType, $"property {p.Name}");
        foreach (MethodBase m in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            string where = $"{m.Name}";
            if (m is MethodInfo mi)
            {
                Add(mi.ReturnType, where);
                if (mi.IsGenericMethodDefinition)
                    foreach (Type p in mi.GetGenericArguments())
                        foreach (Type c in p.GetGenericParameterConstraints())
                            Add(c, $"{where}: constraint on {p.Name}");
            }
            foreach (ParameterInfo p in m.GetParameters())
                Add(p.ParameterType, where);
            foreach (MemberInfo member in BodyTokens(m))
            {
                switch (member)
                {
                    case Type t:
                        Add(t, where);
                        break;
                    case FieldInfo f:
                        Add(f.DeclaringType, where);
                        Add(f.FieldType, where);
                        break;
                    case MethodBase callee:
                        Add(callee.DeclaringType, where);
                        if (callee is MethodInfo calleeInfo)
                        {
                            Add(calleeInfo.ReturnType, where);
                            if (calleeInfo.IsGenericMethod)
                                foreach (Type a in calleeInfo.GetGenericArguments())
                                    Add(a, where);
                        }
                        foreach (ParameterInfo p in callee.GetParameters())
                            Add(p.ParameterType, where);
                        break;
                }
            }
        }
        return found;
    }

    /// <summary>The members named by the tokens of <paramref name="method"/>'s IL.</summary>
    private static IEnumerable<MemberInfo> BodyTokens(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            OpCode op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    yield return method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments)!;
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + 4 * BitConverter.ToInt32(il, at);
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineBrTarget:
                case OperandType.InlineI:
                case OperandType.InlineSig:
                case OperandType.InlineString:
                case OperandType.ShortInlineR:
                    at += 4;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    at += 1;
                    break;
            }
        }
    }

    /// <summary>A type and its generic arguments, element types and declaring types, recursively.</summary>
    private static IEnumerable<Type> Flatten(Type? type)
    {
        if (type is null || type.IsGenericParameter)
            yield break;
        if (type.HasElementType)
        {
            foreach (Type t in Flatten(type.GetElementType()))
                yield return t;
            yield break;
        }
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (Type a in type.GetGenericArguments())
                foreach (Type t in Flatten(a))
                    yield return t;
            type = type.GetGenericTypeDefinition();
        }
        yield return type;
        if (type.DeclaringType is not null)
            foreach (Type t in Flatten(type.DeclaringType))
                yield return t;
    }
}
