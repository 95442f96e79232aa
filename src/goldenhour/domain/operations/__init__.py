"""The operational picture: units, users, vehicles, facilities, points, threats, missions."""
