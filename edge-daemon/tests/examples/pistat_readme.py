# The Python client of piStat's README ("Advanced Usage Examples"), verbatim.
# tests/seed_examples.rs replaces `device-ip:8585` with the daemon's address
# and runs it; nothing else is changed.
import requests

# Basic stats request
response = requests.get('http://device-ip:8585/stats')
data = response.json()
print(f"CPU Temperature: {data['cpu_temp']}Â°C")
print(f"CPU Usage: {data['cpu_usage']}%")

# Get only specific fields
fields = "cpu_usage,memory,uptime"
response = requests.get(f'http://device-ip:8585/stats?fields={fields}')
data = response.json()
print(f"CPU Usage: {data['cpu_usage']}%")
print(f"Memory Used: {data['memory']['percent']}%")
print(f"Uptime: {data['uptime'] / 86400:.1f} days")

# Get top memory-consuming processes
response = requests.get('http://device-ip:8585/processes?sort=memory&limit=5')
processes = response.json()['processes']
for proc in processes:
    print(f"{proc['name']} (PID {proc['pid']}): {proc['memory_percent']:.1f}% memory")
