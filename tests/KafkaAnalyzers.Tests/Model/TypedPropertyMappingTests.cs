using System.Reflection;
using Confluent.Kafka;
using KafkaAnalyzers.Model;

namespace KafkaAnalyzers.Tests.Model;

/// <summary>
/// Checks the model against Confluent.Kafka 2.16.0 itself: each typed property writes the key the model
/// maps it to, and the analyzer converts enum values into the same strings Confluent writes.
/// </summary>
public class TypedPropertyMappingTests
{
    public static TheoryData<string, string> TypedProperties()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in new[] { typeof(ProducerConfig), typeof(ConsumerConfig), typeof(AdminClientConfig) })
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.CanWrite && property.GetIndexParameters().Length == 0 && SampleValue(property.PropertyType) is not null)
                {
                    data.Add(type.Name, property.Name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TypedProperties))]
    public void Typed_property_writes_the_key_the_model_maps_it_to(string typeName, string propertyName)
    {
        var type = typeof(ClientConfig).Assembly.GetType("Confluent.Kafka." + typeName)!;
        var config = (Config)Activator.CreateInstance(type)!;
        var property = type.GetProperty(propertyName)!;
        property.SetValue(config, SampleValue(property.PropertyType));

        var written = Assert.Single(config);
        Assert.Equal(written.Key, LibrdkafkaProperties.KeyForProperty(propertyName));
        Assert.True(LibrdkafkaProperties.IsKnown(written.Key), $"{written.Key} is not in the known-key table");
    }

    public static TheoryData<string, string> EnumMembers()
    {
        var data = new TheoryData<string, string>();
        foreach (var property in typeof(ProducerConfig).GetProperties().Concat(typeof(ConsumerConfig).GetProperties()).DistinctBy(p => p.Name))
        {
            var enumType = Nullable.GetUnderlyingType(property.PropertyType);
            if (property.CanWrite && enumType is { IsEnum: true })
            {
                foreach (var name in Enum.GetNames(enumType))
                {
                    data.Add(property.Name, name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnumMembers))]
    public async Task Enum_value_converts_to_the_string_Confluent_writes(string propertyName, string member)
    {
        var property = typeof(ProducerConfig).GetProperty(propertyName) ?? typeof(ConsumerConfig).GetProperty(propertyName)!;
        var enumType = Nullable.GetUnderlyingType(property.PropertyType)!;
        var configType = property.DeclaringType == typeof(ConsumerConfig) ? typeof(ConsumerConfig) : typeof(ProducerConfig);
        var config = (Config)Activator.CreateInstance(configType)!;
        property.SetValue(config, Enum.Parse(enumType, member));
        var expected = Assert.Single(config).Value;

        var analysis = await ModelHarness.AnalyzeAsync($$"""
            using Confluent.Kafka;
            class Service
            {
                static {{configType.Name}} Create() => new() { {{propertyName}} = {{enumType.Name}}.{{member}} };
            }
            """);

        var write = Assert.Single(analysis.Configurations.Writes);
        Assert.Equal(expected, write.Value);
    }

    private static object? SampleValue(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return "sample";
        }

        if (underlying == typeof(bool))
        {
            return true;
        }

        if (underlying == typeof(int))
        {
            return 7;
        }

        if (underlying == typeof(double))
        {
            return 7.5;
        }

        return underlying.IsEnum ? Enum.GetValues(underlying).GetValue(0) : null;
    }
}
