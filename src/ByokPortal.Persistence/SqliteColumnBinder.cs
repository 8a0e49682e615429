using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SQLitePCL;

namespace ByokPortal.Persistence;

/// <summary>
/// For each column a bulk insert writes on SQLite, a delegate compiled once from the EF Core model that reads the property, converts it with
/// the property's value converter (EF Core's own conversion expression) and binds the result by its type: no boxing, no interface call
/// per value (a usage row has twelve). A property the compiler cannot read directly (shadow, or a type no overload binds) falls back to
/// EF Core's getter and <see cref="SqliteRowInserter.Bind"/>. Either way a value is bound as Microsoft.Data.Sqlite binds it (BulkInsertTests).
/// </summary>
internal static class SqliteColumnBinder
{
    private static readonly ConditionalWeakTable<IProperty, Delegate> Compiled = [];

    public static Func<T, sqlite3_stmt, int, int> For<T>(BulkWriter.Column column)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(column);
        return (Func<T, sqlite3_stmt, int, int>)Compiled.GetValue(column.Property, _ => Compile<T>(column));
    }

    private static Func<T, sqlite3_stmt, int, int> Compile<T>(BulkWriter.Column column)
        where T : class
    {
        var property = column.Property;
        var member = property.IsShadowProperty() ? null : property.GetMemberInfo(forMaterialization: false, forSet: false);
        var converter = column.Mapping.Converter;
        var providerType = Nullable.GetUnderlyingType(converter?.ProviderClrType ?? property.ClrType) ?? converter?.ProviderClrType ?? property.ClrType;
        var bind = typeof(SqliteRowInserter).GetMethod(
            nameof(SqliteRowInserter.BindValue), BindingFlags.Static | BindingFlags.NonPublic, [typeof(sqlite3_stmt), typeof(int), providerType]);
        if (member is null || bind is null || !typeof(T).IsAssignableTo(member.DeclaringType))
        {
            var getter = property.GetGetter();
            return (row, statement, index) =>
            {
                var value = getter.GetClrValue(row);
                return SqliteRowInserter.Bind(statement, index, value is null ? null : column.Mapping.Converter?.ConvertToProvider(value) ?? value);
            };
        }

        var row = Expression.Parameter(typeof(T), "row");
        var statement = Expression.Parameter(typeof(sqlite3_stmt), "statement");
        var index = Expression.Parameter(typeof(int), "index");
        var value = Expression.Variable(member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType, "value");

        // The value as EF Core would hand it to its parameter: converted by the property's converter (which takes the non-null value).
        Expression present = Nullable.GetUnderlyingType(value.Type) is not null ? Expression.Property(value, nameof(Nullable<int>.Value)) : value;
        if (converter is not null)
        {
            var convert = converter.ConvertToProviderExpression;
            present = Expression.Invoke(convert, Expression.Convert(present, convert.Parameters[0].Type));
        }

        Expression bound = Expression.Call(bind, statement, index, Expression.Convert(present, providerType));
        if (!value.Type.IsValueType || Nullable.GetUnderlyingType(value.Type) is not null)
        {
            var bindNull = typeof(SqliteRowInserter).GetMethod(nameof(SqliteRowInserter.BindNull), BindingFlags.Static | BindingFlags.NonPublic)!;
            bound = Expression.Condition(Expression.Equal(value, Expression.Constant(null, value.Type)), Expression.Call(bindNull, statement, index), bound);
        }

        var body = Expression.Block([value], Expression.Assign(value, Expression.MakeMemberAccess(Expression.Convert(row, member.DeclaringType!), member)), bound);
        return Expression.Lambda<Func<T, sqlite3_stmt, int, int>>(body, row, statement, index).Compile();
    }
}
